using System.Globalization;

namespace ServerlessChaos.Cli.GameDay.Report;

/// <summary>
/// The folder a game day writes its report to, held for the whole run: a lock file no second game day can open
/// (an exclusive lock on Linux and macOS, a sharing lock on Windows), so two runs never write the same report.
/// </summary>
internal sealed class ReportFolder : IDisposable
{
    /// <summary>The lock file's name inside the folder; it is deleted when the run ends.</summary>
    public const string LockFileName = ".gameday.lock";

    private readonly FileStream lockFile;

    private ReportFolder(string path, FileStream lockFile)
    {
        Path = path;
        this.lockFile = lockFile;
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The default folder name for a run started at <paramref name="now"/>: the UTC time and a random suffix, unique even for runs started in the same second.</summary>
    public static string DefaultName(DateTimeOffset now) =>
        "gameday-report-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>Creates the folder if needed and takes it for this run.</summary>
    /// <exception cref="CliException">Another game day is writing to it.</exception>
    public static ReportFolder Claim(string path)
    {
        Directory.CreateDirectory(path);
        try
        {
            var file = new FileStream(System.IO.Path.Combine(path, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            return new ReportFolder(path, file);
        }
        catch (IOException)
        {
            throw new CliException($"the report folder {path} is in use by another game day; pass another --report folder");
        }
    }

    /// <inheritdoc />
    public void Dispose() => lockFile.Dispose();
}
