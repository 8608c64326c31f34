namespace NaiveStrategy.Sqlite.Tests;
