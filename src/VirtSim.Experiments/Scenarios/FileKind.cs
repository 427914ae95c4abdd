using Mono.Unix;

namespace VirtSim.Experiments.Scenarios;

/// <summary>
/// What a path is, without following a link: VirtSim reads only regular files as input and
/// replaces only regular files (and its own folders) with results, never a device, a pipe or
/// what a link points to. .NET reports devices and pipes as ordinary files, hence lstat.
/// </summary>
public static class FileKind
{
    /// <summary>The kinds VirtSim tells apart.</summary>
    public enum Kind
    {
        /// <summary>Nothing is there.</summary>
        None,

        /// <summary>A regular file.</summary>
        Regular,

        /// <summary>A folder.</summary>
        Folder,

        /// <summary>A symbolic link (whatever it points to).</summary>
        Link,

        /// <summary>A device, a pipe or a socket.</summary>
        Special,
    }

    /// <summary>What <paramref name="path"/> is, the link itself where it is one.</summary>
    public static Kind Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
        {
            var info = new FileInfo(path);
            return info.LinkTarget is not null ? Kind.Link
                : info.Exists ? Kind.Regular
                : Directory.Exists(path) ? Kind.Folder
                : Kind.None;
        }
        if (!UnixFileSystemInfo.TryGetFileSystemEntry(path, out var entry) || entry is null || !entry.Exists)
        {
            return Kind.None;
        }
        return entry.FileType switch
        {
            FileTypes.RegularFile => Kind.Regular,
            FileTypes.Directory => Kind.Folder,
            FileTypes.SymbolicLink => Kind.Link,
            _ => Kind.Special,
        };
    }

    /// <summary>What <paramref name="path"/> is once its links are followed: how an input is judged (a link to a scenario is a scenario).</summary>
    public static Kind OfTarget(string path)
    {
        var kind = Of(path);
        if (kind != Kind.Link)
        {
            return kind;
        }
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true) is { } target ? Of(target.FullName) : Kind.None;
        }
        catch (IOException)
        {
            return Kind.None; // A loop of links leads nowhere.
        }
    }

    /// <summary>
    /// Says what stops <paramref name="path"/> from being read as an input of at most
    /// <paramref name="maxBytes"/> bytes (a scenario, a trace, a shard), or null when nothing does:
    /// it must be a regular file (or a link to one), so that a device or a pipe never blocks or
    /// fills memory.
    /// </summary>
    public static string? InputProblem(string path, long maxBytes, string expected)
    {
        var kind = OfTarget(path);
        if (kind == Kind.Regular)
        {
            long length = new FileInfo(path).Length;
            return length > maxBytes
                ? $"is {length / 1048576.0:F0} MiB; expected {expected} of at most {maxBytes / 1048576} MiB"
                : null;
        }
        return kind switch
        {
            Kind.None => null, // The caller says "no such file" in its own words.
            Kind.Folder => $"is a folder; expected {expected}",
            _ => $"is {Describe(kind)}; expected {expected}, a regular file",
        };
    }

    /// <summary>A short description of <paramref name="kind"/> for messages.</summary>
    public static string Describe(Kind kind) => kind switch
    {
        Kind.None => "nothing",
        Kind.Regular => "a regular file",
        Kind.Folder => "a folder",
        Kind.Link => "a symbolic link",
        _ => "a device, pipe or socket",
    };
}
