using System.Diagnostics;
using System.Security.Cryptography;

namespace NaiveStrategy.Sqlite.Tests;

/// <summary>Every file in a directory with the SHA-256 of its bytes: equal before and after means nothing was created, deleted or changed.</summary>
internal static class FileState
{
    public static IReadOnlyDictionary<string, string> Of(string directory) =>
        Directory.GetFiles(directory).Order(StringComparer.Ordinal).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);

    public static IReadOnlyList<string> Names(string directory) =>
        Directory.GetFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
}

/// <summary>
/// Makes a file or directory unwritable for this process until disposed. Root writes regardless of
/// permissions, so as root the immutable attribute is set (chattr +i: not even root may change or
/// create anything); any other user loses write permission. Linux only.
/// </summary>
internal sealed class Unwritable : IDisposable
{
    private readonly string _path;
    private readonly UnixFileMode? _mode;

    private Unwritable(string path, UnixFileMode? mode)
    {
        _path = path;
        _mode = mode;
    }

    /// <summary>Null where this cannot be done here (not Linux, or root without a working chattr).</summary>
    public static Unwritable? TryMake(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        if (Environment.IsPrivilegedProcess)
        {
            return Run("chattr", "+i", path) == 0 ? new Unwritable(path, null) : null;
        }

        var mode = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, mode & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        return new Unwritable(path, mode);
    }

    public void Dispose()
    {
        if (_mode is { } mode && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_path, mode);
        }
        else
        {
            Run("chattr", "-i", _path);
        }
    }

    private static int Run(string program, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1; // not installed
        }
    }
}

/// <summary>
/// Another process, not .NET, holding or probing a lock file with flock(1), as another instance would:
/// the test then shows the lock is the operating system's, seen across processes. Linux only.
/// </summary>
internal sealed class FlockProcess : IDisposable
{
    private readonly Process _process;

    private FlockProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public static bool Available => OperatingSystem.IsLinux() && File.Exists("/usr/bin/flock");

    /// <summary>Starts a process that holds <paramref name="lockPath"/> (waiting for it if need be) until killed; returns once it holds it.</summary>
    public static async Task<FlockProcess> HoldAsync(string lockPath)
    {
        // --no-fork: the process holding the lock is the one started, so killing it releases the lock.
        var info = new ProcessStartInfo("flock", ["--no-fork", lockPath, "sh", "-c", "echo locked; exec sleep 120"]) { RedirectStandardOutput = true };
        var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        line.Should().Be("locked");
        return new FlockProcess(process);
    }

    /// <summary>Whether another process could take <paramref name="lockPath"/> right now (it takes it and lets go at once).</summary>
    public static async Task<bool> CanLockAsync(string lockPath)
    {
        using var process = Process.Start(new ProcessStartInfo("flock", ["--nonblock", "--conflict-exit-code", "75", lockPath, "true"]))!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.Should().BeOneOf(0, 75);
        return process.ExitCode == 0;
    }

    /// <summary>kill -9, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
