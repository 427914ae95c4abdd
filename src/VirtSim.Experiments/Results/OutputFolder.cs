using VirtSim.Experiments.Scenarios;

namespace VirtSim.Experiments.Results;

/// <summary>
/// A results folder that belongs to VirtSim. A marker file lists every file and folder VirtSim
/// wrote there, so a later run replaces exactly those and nothing else: a folder that holds
/// anything VirtSim did not write (a scenario, a user's notes, inside a deployment's folder too)
/// is refused unless the caller forces it, and even then only VirtSim's own files are replaced.
/// </summary>
/// <remarks>
/// <para>The folder is checked, and its staging folder created, by <see cref="Prepare"/>, before a
/// simulation starts, so an unwritable place is found in milliseconds rather than after the run.
/// Results are written into the staging folder and moved into place by <see cref="Commit"/>.</para>
/// <para>A staging folder is VirtSim's only while it holds a staging marker, and its run is alive
/// only while that marker is locked (an advisory lock the kernel drops when the process dies, in
/// whatever PID namespace it ran). So clean-up never goes by a folder's name: it touches a staging
/// folder only when its marker is there and unlocked, and a second run on the same folder meets
/// the first one's lock and is refused.</para>
/// <para>Replacing a folder that exists is journaled (<see cref="Journal"/>): once the journal says
/// the commit began, a run killed at any point is finished by the next run that prepares the
/// folder; before that, its staging folder is only removed.</para>
/// </remarks>
public sealed partial class OutputFolder : IDisposable
{
    /// <summary>The marker file's name: it lists, one per line, the files (and, ending in '/', the folders) VirtSim wrote in the folder.</summary>
    public const string MarkerFile = ".virtsim-results";

    /// <summary>The staging marker's name: its presence proves a staging folder is VirtSim's, its lock that its run is alive.</summary>
    internal const string StagingMarkerFile = ".virtsim-staging";

    private const string MarkerHeader = "# Written by VirtSim: the files and folders below are its results and are replaced by its next run here.";
    private const string StagingHeader = "# A VirtSim run stages its results here; the folder is removed when it ends, or by the next run if this one was killed.";
    private const string StagingInfix = ".partial-";

    private readonly string _staging;
    private FileStream? _lock;
    private bool _committed;

    private OutputFolder(string target, string staging, FileStream stagingLock)
    {
        Target = target;
        _staging = staging;
        _lock = stagingLock;
    }

    /// <summary>The folder's full path.</summary>
    public string Target { get; }

    /// <summary>For tests: called before each step of a commit that changes the results folder, with the step's number.</summary>
    internal Action<int>? BeforeStep { get; set; }

    /// <summary>
    /// Checks that <paramref name="directory"/> may receive VirtSim's results and can be written,
    /// finishes or removes what killed runs left there, and creates the staging folder; throws
    /// <see cref="OutputFolderException"/> saying why not.
    /// </summary>
    /// <param name="directory">The results folder, existing or not.</param>
    /// <param name="force">Replace VirtSim's entries even in a folder that also holds files VirtSim did not write.</param>
    public static OutputFolder Prepare(string directory, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (directory.Trim().Length == 0)
        {
            throw new OutputFolderException(directory, "expected a folder name");
        }
        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        string? parent = Path.GetDirectoryName(target);
        if (parent is null)
        {
            throw new OutputFolderException(directory, "the root of the file system cannot be a results folder; name a folder below it");
        }
        if (File.Exists(target) || (!Directory.Exists(target) && Tree.IsLink(target)))
        {
            throw new OutputFolderException(directory, "is a file; expected a folder for the results");
        }
        try
        {
            Directory.CreateDirectory(parent);
            RecoverAll(parent, resultsFolder: false);
            if (Directory.Exists(target))
            {
                CheckMarker(directory, target);
                RecoverAll(target, resultsFolder: true);
                var foreign = Foreign(target);
                if (foreign.Count > 0 && !force)
                {
                    string some = string.Join(", ", foreign.Take(3).Select(Messages.Escape)) + (foreign.Count > 3 ? $" and {foreign.Count - 3} more" : "");
                    throw new OutputFolderException(directory,
                        $"holds files VirtSim did not write ({some}); choose a new or empty folder, or add --force to replace only VirtSim's own results there");
                }
            }
            return Stage(directory, target, parent);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException(directory, $"cannot be written: {Reason(e)}");
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> on the staging folder, then moves what it wrote into place,
    /// replacing VirtSim's earlier files there (and only those); on failure nothing is left behind.
    /// <paramref name="cancellation"/> is honoured until the move begins.
    /// </summary>
    public void Commit(Action<string> write, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        ObjectDisposedException.ThrowIf(_committed, this);
        write(_staging);
        cancellation.ThrowIfCancellationRequested();
        var written = Tree.Entries(_staging, Internal).ToList();
        File.WriteAllLines(Path.Combine(_staging, MarkerFile), [MarkerHeader, .. written]);
        if (!Directory.Exists(Target))
        {
            // A new folder appears whole, by one rename; the staging marker goes with it and is removed after.
            BeforeStep?.Invoke(0);
            Directory.Move(_staging, Target);
            BeforeStep?.Invoke(1);
            File.Delete(Path.Combine(Target, StagingMarkerFile));
        }
        else
        {
            Journal.Begin(_staging);
            Journal.RollForward(Target, _staging, BeforeStep);
        }
        _committed = true;
        ReleaseLock();
    }

    /// <summary>Removes the staging folder unless the results were committed.</summary>
    public void Dispose()
    {
        if (!_committed && Directory.Exists(_staging))
        {
            try
            {
                Directory.Delete(_staging, recursive: true);
            }
            catch (IOException)
            {
                // Left for the next run to remove: its marker is unlocked once this process ends.
            }
        }
        _committed = true;
        ReleaseLock();
    }

    /// <summary>For tests: lets go of the staging lock as a killed process would, leaving everything else as it is.</summary>
    internal void Abandon()
    {
        _committed = true;
        ReleaseLock();
    }

    private void ReleaseLock()
    {
        _lock?.Dispose();
        _lock = null;
    }

    /// <summary>Creates and locks this run's staging folder, unless another live run is writing the same folder.</summary>
    private static OutputFolder Stage(string directory, string target, string parent)
    {
        bool exists = Directory.Exists(target);
        string container = exists ? target : parent;
        string stem = exists ? "virtsim" : Path.GetFileName(target);
        // The process id names the run for a person; the random part keeps names apart across PID namespaces.
        string staging = Path.Combine(container, $".{stem}{StagingInfix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(staging);
        var stagingLock = new FileStream(Path.Combine(staging, StagingMarkerFile), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        var folder = new OutputFolder(target, staging, stagingLock);
        using (var text = new StreamWriter(stagingLock, leaveOpen: true))
        {
            text.WriteLine(StagingHeader);
            text.WriteLine(target);
        }
        stagingLock.Flush(flushToDisk: true);
        var others = Stagings(parent, Path.GetFileName(target)).Concat(exists ? Stagings(target, "virtsim") : [])
            .Where(s => s != staging && IsAlive(s));
        if (others.Any())
        {
            folder.Dispose();
            throw new OutputFolderException(directory,
                "is being written by another VirtSim run (its staging folder is locked); wait for that run to end, or choose another --out folder");
        }
        return folder;
    }

    /// <summary>Refuses a marker that is not a regular file: VirtSim never follows or empties it.</summary>
    private static void CheckMarker(string directory, string target)
    {
        string marker = Path.Combine(target, MarkerFile);
        if ((Directory.Exists(marker) || File.Exists(marker) || Tree.IsLink(marker)) && !Tree.IsRegularFile(marker))
        {
            throw new OutputFolderException(directory,
                $"{MarkerFile} there is not a regular file (VirtSim's marker is one); remove it or choose another folder");
        }
    }

    /// <summary>The staging folders of <paramref name="stem"/> in <paramref name="folder"/> that hold a staging marker.</summary>
    private static IEnumerable<string> Stagings(string folder, string stem) =>
        Directory.EnumerateDirectories(folder, $".{stem}{StagingInfix}*")
            .Where(path => !Tree.IsLink(path) && Tree.IsRegularFile(Path.Combine(path, StagingMarkerFile)))
            .ToList();

    /// <summary>Whether the run that made <paramref name="staging"/> still holds its lock.</summary>
    private static bool IsAlive(string staging) => IsHeld(Path.Combine(staging, StagingMarkerFile));

    /// <summary>Whether another open of <paramref name="file"/> holds its lock (a file that is gone is held by no one).</summary>
    private static bool IsHeld(string file)
    {
        using var claim = TryClaim(file, out bool held);
        return held;
    }

    /// <summary>
    /// The lock on <paramref name="file"/>, taken, or null: <paramref name="held"/> says whether that is
    /// because another open holds it (a live run, or another run recovering it) rather than because
    /// the file is gone.
    /// </summary>
    private static FileStream? TryClaim(string file, out bool held)
    {
        held = false;
        try
        {
            return new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException)
        {
            held = true;
            return null;
        }
    }

    /// <summary>
    /// Finishes or removes what dead runs left in <paramref name="folder"/>: staging folders of any
    /// results folder there whose marker is unlocked (a journaled one is finished into its results
    /// folder), and, where <paramref name="folder"/> is a results folder, a staging marker moved in
    /// with a new folder's results by a run killed right after the rename.
    /// </summary>
    private static void RecoverAll(string folder, bool resultsFolder)
    {
        string strayMarker = Path.Combine(folder, StagingMarkerFile);
        if (resultsFolder && Tree.IsRegularFile(strayMarker) && Tree.IsRegularFile(Path.Combine(folder, MarkerFile)) && !IsHeld(strayMarker))
        {
            File.Delete(strayMarker);
        }
        foreach (string staging in Directory.EnumerateDirectories(folder, $".*{StagingInfix}*").ToList())
        {
            string marker = Path.Combine(staging, StagingMarkerFile);
            if (Tree.IsLink(staging) || !Tree.IsRegularFile(marker))
            {
                continue; // Not VirtSim's: a user's folder whose name merely looks like one.
            }
            if (TryClaim(marker, out _) is not { } claim)
            {
                continue; // Alive, being recovered by another run, or just removed by one.
            }
            using (claim)
            {
                if (Journal.HasBegun(staging))
                {
                    // Only a staging folder inside a results folder is journaled: its results folder is the one it is in.
                    Journal.RollForward(folder, staging, null);
                }
                else
                {
                    Directory.Delete(staging, recursive: true);
                }
            }
        }
    }

    /// <summary>Names at the top of a staging folder that are VirtSim's bookkeeping, not results.</summary>
    private static bool Internal(string name) =>
        name is MarkerFile or StagingMarkerFile or Journal.File or Journal.OldFolder;

    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };
}

/// <summary>An output folder VirtSim may not or cannot write: bad input, reported before anything runs.</summary>
public sealed class OutputFolderException(string folder, string problem) : Exception($"{Messages.Escape(folder)}: error: {problem}")
{
    /// <summary>The folder as the user named it.</summary>
    public string Folder { get; } = folder;
}
