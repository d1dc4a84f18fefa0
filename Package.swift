// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "acctstat",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "acctstat", targets: ["acctstat"]),
        .library(name: "AcctStatCore", targets: ["AcctStatCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]),
        .target(
            // Optional Intel ISA-L inflate: compiled against its header when present,
            // loaded with dlopen at run time, zlib otherwise (see README, "Performance").
            name: "CFastInflate",
            linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(
            // The CSV scanner's delimiter search, 64 bytes per call with SSE2.
            name: "CByteScan"),
        .target(
            // SQLite's process-wide options (sqlite3_config is variadic: C only).
            name: "CSQLiteSetup"),
        .target(
            name: "AcctStatCore",
            dependencies: [
                "CZlib",
                "CFastInflate",
                "CByteScan",
                "CSQLiteSetup",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: [
                // The hot loop's classes are confined to one thread each; dynamic exclusivity
                // checks on their stored properties cost several percent of an ingest.
                .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
            ]),
        .executableTarget(
            name: "acctstat",
            dependencies: [
                "AcctStatCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "AcctStatCoreTests",
            dependencies: ["AcctStatCore"],
            exclude: ["Fixtures", "Snapshots"]),
        .testTarget(
            name: "acctstatTests",
            dependencies: ["AcctStatCore", "acctstat"]),
    ],
    swiftLanguageModes: [.v6]
)
