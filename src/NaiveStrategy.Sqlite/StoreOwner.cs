using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NaiveStrategy.Sqlite;

/// <summary>
/// Who holds a store's lock: written beside the store (<c>state.db.owner</c>) by the process that
/// holds <c>state.db.lock</c>, so a second process can say who it is. The lock itself cannot carry it:
/// a file held exclusively cannot be read by another process (Windows share modes, .NET's flock on Unix).
/// </summary>
/// <param name="ProcessId">The holder's process id.</param>
/// <param name="ProcessStart">When that process started, to tell it from a later process given the same id; null when unknown.</param>
/// <param name="Since">When it took the lock.</param>
internal sealed record StoreOwner(int ProcessId, DateTimeOffset? ProcessStart, DateTimeOffset Since)
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>This process, taking the lock now.</summary>
    public static StoreOwner Current(DateTimeOffset now)
    {
        DateTimeOffset? started;
        try
        {
            using var self = Process.GetCurrentProcess();
            started = new DateTimeOffset(self.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            started = null;
        }

        return new StoreOwner(Environment.ProcessId, started, now.ToUniversalTime());
    }

    /// <summary>The record at <paramref name="path"/>, or null when there is none or it cannot be read.</summary>
    public static StoreOwner? TryRead(string path)
    {
        string text;
        try
        {
            // Delete sharing lets the holder replace the record while it is being read (Windows).
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            text = reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var fields = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("pid", out var pid) || !int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !fields.TryGetValue("since", out var since) || !TryParseTime(since, out var at))
        {
            return null;
        }

        return new StoreOwner(id, fields.TryGetValue("started", out var s) && TryParseTime(s, out var start) ? start : null, at);
    }

    /// <summary>
    /// Writes the record: a new file renamed over the old one, so a reader never sees half of it. Only
    /// the lock's holder writes it, so one temporary name serves, and a crash leaves at most that file.
    /// </summary>
    public void Write(string path)
    {
        var temporary = path + ".tmp";
        var text = $"pid {ProcessId.ToString(CultureInfo.InvariantCulture)}\nstarted {(ProcessStart is { } s ? Format(s) : "unknown")}\nsince {Format(Since)}\n";
        try
        {
            File.WriteAllText(temporary, text, new UTF8Encoding(false));
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Whether the recorded process still runs. A record left by a killed process names a process that
    /// is gone (or, rarely, a later process given the same id, told apart by its start time).
    /// </summary>
    public bool IsRunning()
    {
        if (ProcessId == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(ProcessId);
            if (process.HasExited)
            {
                return false;
            }

            return ProcessStart is not { } recorded || (process.StartTime.ToUniversalTime() - recorded.UtcDateTime).Duration() < TimeSpan.FromSeconds(1);
        }
        catch (ArgumentException)
        {
            return false; // no process with that id
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return true; // it exists but cannot be inspected (another user's): believe the record
        }
    }

    /// <summary>ISO-8601 UTC to the second, as in messages.</summary>
    public static string Display(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
