using System.Diagnostics.CodeAnalysis;

// Both wait, synchronously, for another process to let go of the state file (its lock, or its write-ahead log):
// real time on an OS resource, in synchronous open paths, where TimeProvider offers no synchronous wait.
[assembly: SuppressMessage("ApiDesign", "RS0030:Do not use banned APIs", Justification = "Synchronous wait for another process's file lock.", Scope = "member", Target = "~M:NaiveStrategy.Sqlite.StoreLock.AcquireWriter(System.String,System.DateTimeOffset)~NaiveStrategy.Sqlite.StoreLock")]
[assembly: SuppressMessage("ApiDesign", "RS0030:Do not use banned APIs", Justification = "Synchronous wait for a writer to open its write-ahead log.", Scope = "member", Target = "~M:NaiveStrategy.Sqlite.SqliteStrategyStore.OpenForReading~System.ValueTuple{Microsoft.Data.Sqlite.SqliteConnection,NaiveStrategy.Sqlite.StoreLock,NaiveStrategy.Sqlite.StoreSnapshot}")]
