using VirtSim.Experiments.Scenarios;

namespace VirtSim.Experiments.Results;

public sealed partial class OutputFolder
{
    /// <summary>
    /// What the marker of <paramref name="folder"/> lists: files by relative path, folders VirtSim
    /// made with a trailing '/'. A plain name that is a folder in <paramref name="folder"/> comes
    /// from a marker written before files were listed one by one, and owns that folder whole.
    /// </summary>
    private static Ownership Owned(string folder)
    {
        string marker = Path.Combine(folder, MarkerFile);
        var owned = new Ownership();
        if (!Tree.IsRegularFile(marker))
        {
            return owned;
        }
        foreach (string line in File.ReadLines(marker))
        {
            // Only relative paths of plain names count: a marker edited to name '..' or a path cannot make VirtSim touch anything outside.
            bool isFolder = line.EndsWith('/');
            string path = isFolder ? line[..^1] : line;
            if (line.Length == 0 || line.StartsWith('#') || !IsPlainRelative(path))
            {
                continue;
            }
            if (isFolder)
            {
                owned.Folders.Add(path);
            }
            else if (!path.Contains('/', StringComparison.Ordinal) && Directory.Exists(Path.Combine(folder, path)) && !Tree.IsLink(Path.Combine(folder, path)))
            {
                owned.WholeFolders.Add(path);
            }
            else
            {
                owned.Files.Add(path);
            }
        }
        return owned;
    }

    /// <summary>
    /// Whether a marker's line names something inside the folder: segments that are names, not
    /// '.', '..', a root or a drive, of at most 255 bytes (a file system's bound; VirtSim's own
    /// file names, such as a sweep's plots, may be longer than the names a scenario declares).
    /// </summary>
    private static bool IsPlainRelative(string path)
    {
        var segments = path.Split('/');
        return segments.All(s => s.Trim().Length > 0 && s is not ("." or "..") && s.IndexOfAny(['\\', ':']) < 0 && !s.Any(Messages.IsUnsafe)
                && System.Text.Encoding.UTF8.GetByteCount(s) <= 255)
            && !Path.IsPathRooted(path) && !Internal(segments[0]) && !IsStagingName(segments[0]);
    }

    private static bool IsStagingName(string name) =>
        name.StartsWith('.') && name.Contains(StagingInfix, StringComparison.Ordinal);

    /// <summary>The files and folders of <paramref name="folder"/> that VirtSim did not write (its marker does not list them), by relative path.</summary>
    private static List<string> Foreign(string folder)
    {
        var owned = Owned(folder);
        var foreign = new List<string>();
        foreach (var (path, isFolder, isEmpty) in Tree.Walk(folder, top => Internal(top) || IsStagingName(top) && Tree.IsRegularFile(Path.Combine(folder, top, StagingMarkerFile)),
                     path => owned.WholeFolders.Contains(path)))
        {
            bool mine = isFolder ? owned.Folders.Contains(path) || owned.WholeFolders.Contains(path) || !isEmpty : owned.Files.Contains(path);
            if (!mine)
            {
                foreign.Add(path);
            }
        }
        foreign.Sort(StringComparer.Ordinal);
        return foreign;
    }

    /// <summary>What a marker says VirtSim owns in a results folder.</summary>
    private sealed class Ownership
    {
        public HashSet<string> Files { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Folders { get; } = new(StringComparer.Ordinal);

        public HashSet<string> WholeFolders { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>A results folder's tree as VirtSim sees it: links are leaves, never followed.</summary>
    private static class Tree
    {
        public static bool IsLink(string path) => FileKind.Of(path) == FileKind.Kind.Link;

        public static bool IsRegularFile(string path) => FileKind.Of(path) == FileKind.Kind.Regular;

        /// <summary>
        /// Every file and folder below <paramref name="root"/> by relative path ('/'-separated),
        /// folders before what they hold; top-level names <paramref name="skipTop"/> accepts are
        /// left out, and the folders <paramref name="whole"/> accepts are not entered.
        /// </summary>
        public static IEnumerable<(string Path, bool IsFolder, bool IsEmpty)> Walk(string root, Func<string, bool> skipTop, Func<string, bool> whole)
        {
            var pending = new Stack<string>();
            pending.Push("");
            while (pending.Count > 0)
            {
                string relative = pending.Pop();
                string full = relative.Length == 0 ? root : Path.Combine(root, relative);
                foreach (string entry in Directory.EnumerateFileSystemEntries(full).Order(StringComparer.Ordinal))
                {
                    string name = Path.GetFileName(entry);
                    if (relative.Length == 0 && skipTop(name))
                    {
                        continue;
                    }
                    string path = relative.Length == 0 ? name : relative + "/" + name;
                    bool isFolder = Directory.Exists(entry) && !IsLink(entry);
                    if (isFolder)
                    {
                        bool isEmpty = !Directory.EnumerateFileSystemEntries(entry).Any();
                        yield return (path, true, isEmpty);
                        if (!whole(path))
                        {
                            pending.Push(path);
                        }
                    }
                    else
                    {
                        yield return (path, false, false);
                    }
                }
            }
        }

        /// <summary>The lines of a marker for what <paramref name="root"/> holds: folders ending in '/', files, in ordinal order.</summary>
        public static IEnumerable<string> Entries(string root, Func<string, bool> skipTop) =>
            Walk(root, skipTop, _ => false).Select(e => e.IsFolder ? e.Path + "/" : e.Path).Order(StringComparer.Ordinal);

        /// <summary>Whether no folder on the way from <paramref name="root"/> to <paramref name="relative"/> is a link (the last part may be one).</summary>
        public static bool StaysInside(string root, string relative)
        {
            string current = root;
            var segments = relative.Split('/');
            foreach (string segment in segments[..^1])
            {
                current = Path.Combine(current, segment);
                if (IsLink(current))
                {
                    return false;
                }
            }
            return true;
        }

        public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || IsLink(path);

        public static void Move(string from, string to)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            if (Directory.Exists(from) && !IsLink(from))
            {
                Directory.Move(from, to);
            }
            else
            {
                File.Move(from, to);
            }
        }

        public static string FreeName(string path)
        {
            string free = path;
            for (int i = 2; Exists(free); i++)
            {
                free = $"{path}{i}";
            }
            return free;
        }
    }
}
