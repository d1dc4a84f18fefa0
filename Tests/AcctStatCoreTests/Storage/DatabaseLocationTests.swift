import Testing
@testable import AcctStatCore

@Suite struct DatabaseLocationTests {
    @Test func flagThenEnvironmentThenXDGThenHome() {
        let env = ["ACCTSTAT_DB": "/env/db.sqlite", "XDG_DATA_HOME": "/xdg", "HOME": "/home/pmta"]
        #expect(DatabaseLocation.resolve(explicit: "/flag.sqlite", environment: env) == "/flag.sqlite")
        #expect(DatabaseLocation.resolve(explicit: nil, environment: env) == "/env/db.sqlite")
        #expect(DatabaseLocation.resolve(explicit: nil, environment: ["XDG_DATA_HOME": "/xdg", "HOME": "/h"]) == "/xdg/acctstat/acctstat.sqlite")
        #expect(DatabaseLocation.resolve(explicit: nil, environment: ["HOME": "/h"]) == "/h/.local/share/acctstat/acctstat.sqlite")
        #expect(DatabaseLocation.resolve(explicit: "", environment: ["ACCTSTAT_DB": ""]) == "./.local/share/acctstat/acctstat.sqlite")
    }
}
