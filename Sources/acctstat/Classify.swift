import AcctStatCore
import ArgumentParser

extension AcctStat {
    struct Classify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how acctstat classifies DKIM verdicts and bounce texts.",
            discussion: """
            Reads lines from stdin: a dkim column value, an Authentication-Results value or a dsnDiag text. For each, prints result,cause,signing_domain,selector as CSV, one line per input line, with no header, so the output lines up with the input.

            Examples:
              echo 'fail (body hash did not verify) header.d=example.com header.s=s1' |
                  acctstat classify
                -> fail,body-hash,example.com,s1
              echo 'smtp;550 5.7.30 DKIM does not pass.' | acctstat classify
                -> fail,receiver-dkim,,
              # dsnDiag, read as CSV (its texts hold commas and quotes):
              python3 -c 'import csv,sys; r=csv.DictReader(sys.stdin); [print(x["dsnDiag"])
                  for x in r]' < acct.csv | acctstat classify | sort | uniq -c
            """)

        mutating func run() throws {
            while let line = readLine(strippingNewline: true) {
                let evidence = TextClassifier.classify(line)
                print(CSVWriter.line([evidence.result.rawValue, evidence.cause?.rawValue, evidence.signingDomain,
                                      evidence.selector]), terminator: "")
            }
        }
    }
}
