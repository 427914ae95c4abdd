using System.Diagnostics;

namespace VirtSim.Experiments.Results;

/// <summary>
/// A results folder that belongs to VirtSim. A marker file lists what VirtSim wrote there, so a
/// later run replaces exactly those entries and nothing else: a folder that holds anything VirtSim
/// did not write (a scenario, a user's notes, the current directory) is refused unless the caller
/// forces it, and even then only VirtSim's own entries are replaced.
/// </summary>
/// <remarks>
/// The folder is checked, and its staging folder created, by <see cref="Prepare"/>, before a
/// simulation starts, so an unwritable place is found in milliseconds rather than after the run.
/// Results are written into the staging folder and moved into place by <see cref="Commit"/>; a
/// failure or a cancellation removes the staging folder (<see cref="Dispose"/>), and staging
/// folders left by a process that was killed are removed by the next run that prepares a folder
/// beside them.
/// </remarks>
public sealed class OutputFolder : IDisposable
{
    /// <summary>The marker file's name: it lists, one per line, the entries VirtSim wrote in the folder.</summary>
    public const string MarkerFile = ".virtsim-results";

    private const string MarkerHeader = "# Written by VirtSim: the files and folders below are its results and are replaced by its next run here.";
    private const string StagingInfix = ".partial-";

    private readonly string _staging;
    private bool _committed;

    private OutputFolder(string target, string staging)
    {
        Target = target;
        _staging = staging;
    }

    /// <summary>The folder's full path.</summary>
    public string Target { get; }

    /// <summary>
    /// Checks that <paramref name="directory"/> may receive VirtSim's results and can be written,
    /// and creates the staging folder; throws <see cref="OutputFolderException"/> saying why not.
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
        if (File.Exists(target))
        {
            throw new OutputFolderException(directory, "is a file; expected a folder for the results");
        }
        if (Directory.Exists(target))
        {
            var foreign = Foreign(target);
            if (foreign.Count > 0 && !force)
            {
                string some = string.Join(", ", foreign.Take(3)) + (foreign.Count > 3 ? $" and {foreign.Count - 3} more" : "");
                throw new OutputFolderException(directory,
                    $"holds files VirtSim did not write ({some}); choose a new or empty folder, or add --force to replace only VirtSim's own results there");
            }
        }
        string name = Path.GetFileName(target);
        string stagingParent = Directory.Exists(target) ? target : parent;
        string staging = Path.Combine(stagingParent, $".{(Directory.Exists(target) ? "virtsim" : name)}{StagingInfix}{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(stagingParent);
            RemoveStale(stagingParent);
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
            Directory.CreateDirectory(staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException(directory, $"cannot be written: {Reason(e)}");
        }
        return new OutputFolder(target, staging);
    }

    /// <summary>
    /// Runs <paramref name="write"/> on the staging folder, then moves what it wrote into place,
    /// replacing VirtSim's earlier entries there (and only those); on failure nothing is left behind.
    /// <paramref name="cancellation"/> is honoured until the move begins.
    /// </summary>
    public void Commit(Action<string> write, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        ObjectDisposedException.ThrowIf(_committed, this);
        write(_staging);
        cancellation.ThrowIfCancellationRequested();
        var entries = Directory.EnumerateFileSystemEntries(_staging).Select(e => Path.GetFileName(e)!).Order(StringComparer.Ordinal).ToList();
        File.WriteAllLines(Path.Combine(_staging, MarkerFile), [MarkerHeader, .. entries]);
        if (!Directory.Exists(Target))
        {
            Directory.Move(_staging, Target);
        }
        else
        {
            ReplaceEntries(entries);
        }
        _committed = true;
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
                // Left for the next run to remove (RemoveStale): it names a process that is gone.
            }
        }
        _committed = true;
    }

    /// <summary>Moves VirtSim's old entries aside, the new ones in, then drops the old ones; restores them if a move fails.</summary>
    private void ReplaceEntries(List<string> entries)
    {
        string trash = Path.Combine(Target, $".virtsim-old{StagingInfix}{Environment.ProcessId}");
        Directory.CreateDirectory(trash);
        var old = Owned(Target).Where(e => Exists(Path.Combine(Target, e))).ToList();
        var moved = new List<string>();
        try
        {
            foreach (string entry in old.Append(MarkerFile).Distinct())
            {
                if (Exists(Path.Combine(Target, entry)))
                {
                    Move(Path.Combine(Target, entry), Path.Combine(trash, entry));
                    moved.Add(entry);
                }
            }
            foreach (string entry in entries.Append(MarkerFile))
            {
                string destination = Path.Combine(Target, entry);
                if (Exists(destination))
                {
                    // A user's own entry of the same name (only with --force) is kept under another name, never lost.
                    Move(destination, FreeName(destination + ".orig"));
                }
                Move(Path.Combine(_staging, entry), destination);
            }
        }
        catch
        {
            foreach (string entry in moved)
            {
                string destination = Path.Combine(Target, entry);
                if (!Exists(destination))
                {
                    Move(Path.Combine(trash, entry), destination);
                }
            }
            throw;
        }
        Directory.Delete(trash, recursive: true);
        Directory.Delete(_staging, recursive: true);
    }

    /// <summary>The entries of <paramref name="folder"/> that VirtSim did not write (its marker does not list them).</summary>
    private static List<string> Foreign(string folder)
    {
        var owned = Owned(folder).ToHashSet(StringComparer.Ordinal);
        return Directory.EnumerateFileSystemEntries(folder)
            .Select(e => Path.GetFileName(e)!)
            .Where(e => e != MarkerFile && !owned.Contains(e) && !IsStaging(e))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>What the marker of <paramref name="folder"/> lists; nothing when there is no marker.</summary>
    private static IEnumerable<string> Owned(string folder)
    {
        string marker = Path.Combine(folder, MarkerFile);
        if (!File.Exists(marker))
        {
            return [];
        }
        // Only plain names count: a marker edited to name '..' or a path cannot make VirtSim touch anything outside.
        return File.ReadAllLines(marker)
            .Where(line => line.Length > 0 && !line.StartsWith('#') && PathNames.Problem(line) is null && line != MarkerFile && !IsStaging(line));
    }

    private static bool IsStaging(string name) =>
        name.StartsWith('.') && name.Contains(StagingInfix, StringComparison.Ordinal);

    /// <summary>Removes staging folders in <paramref name="folder"/> whose process is no longer running.</summary>
    private static void RemoveStale(string folder)
    {
        foreach (string path in Directory.EnumerateDirectories(folder, $".*{StagingInfix}*"))
        {
            string name = Path.GetFileName(path);
            string pid = name[(name.LastIndexOf(StagingInfix, StringComparison.Ordinal) + StagingInfix.Length)..];
            if (int.TryParse(pid, out int id) && id != Environment.ProcessId && !IsRunning(id))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string FreeName(string path)
    {
        string free = path;
        for (int i = 2; Exists(free); i++)
        {
            free = $"{path}{i}";
        }
        return free;
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    private static void Move(string from, string to)
    {
        if (Directory.Exists(from))
        {
            Directory.Move(from, to);
        }
        else
        {
            File.Move(from, to);
        }
    }

    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };
}

/// <summary>An output folder VirtSim may not or cannot write: bad input, reported before anything runs.</summary>
public sealed class OutputFolderException(string folder, string problem) : Exception($"{folder}: error: {problem}")
{
    /// <summary>The folder as the user named it.</summary>
    public string Folder { get; } = folder;
}
