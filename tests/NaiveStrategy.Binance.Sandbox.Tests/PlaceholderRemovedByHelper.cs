namespace NaiveStrategy.Binance.Sandbox.Tests;
