using Mono.Unix;

namespace VirtSim.Experiments.Results;

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
