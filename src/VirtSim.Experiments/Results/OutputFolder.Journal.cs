namespace VirtSim.Experiments.Results;

public sealed partial class OutputFolder
{
    /// <summary>
    /// The commit into a results folder that exists, in two phases a journal file in the staging
    /// folder names: "old" moves VirtSim's earlier files (as the folder's marker lists them) into
    /// the staging folder's <see cref="OldFolder"/>, "new" moves the staged files in and then the
    /// new marker over the old one. Each step can be done again after a crash without harm, so a
    /// run that finds a dead run's journal finishes its commit (<see cref="RollForward"/>).
    /// </summary>
    private static class Journal
    {
        public const string File = ".virtsim-commit";
        public const string OldFolder = ".virtsim-old";

        private const string Old = "old";
        private const string New = "new";

        public static void Begin(string staging) => Write(staging, Old);

        public static bool HasBegun(string staging) => Tree.IsRegularFile(Path.Combine(staging, File));

        /// <summary>Carries the commit of <paramref name="staging"/> into <paramref name="target"/> through, from whichever phase it had reached.</summary>
        public static void RollForward(string target, string staging, Action<int>? beforeStep)
        {
            int step = 0;
            void Next() => beforeStep?.Invoke(step++);
            if (System.IO.File.ReadAllText(Path.Combine(staging, File)).Trim() == Old)
            {
                MoveOldAside(target, Path.Combine(staging, OldFolder), Next);
                Next();
                Write(staging, New);
            }
            foreach (var (path, isFolder, _) in Tree.Walk(staging, Internal, _ => false).ToList())
            {
                string destination = Path.Combine(target, path);
                if (isFolder && Directory.Exists(destination) && !Tree.IsLink(destination))
                {
                    continue;
                }
                Next();
                if (Tree.Exists(destination))
                {
                    // A user's own entry of the same name (only with --force) is kept under another name, never lost.
                    Tree.Move(destination, Tree.FreeName(destination + ".orig"));
                }
                if (isFolder)
                {
                    Directory.CreateDirectory(destination);
                }
                else
                {
                    Tree.Move(Path.Combine(staging, path), destination);
                }
            }
            string marker = Path.Combine(staging, MarkerFile);
            if (Tree.IsRegularFile(marker))
            {
                Next();
                System.IO.File.Move(marker, Path.Combine(target, MarkerFile), overwrite: true);
            }
            Next();
            Directory.Delete(staging, recursive: true);
        }

        /// <summary>Moves what the marker of <paramref name="target"/> lists into <paramref name="trash"/>, then removes the folders it lists that are left empty.</summary>
        private static void MoveOldAside(string target, string trash, Action next)
        {
            var owned = Owned(target);
            foreach (string path in owned.Files.Concat(owned.WholeFolders).Order(StringComparer.Ordinal))
            {
                string from = Path.Combine(target, path);
                if (Tree.Exists(from) && Tree.StaysInside(target, path))
                {
                    next();
                    Tree.Move(from, Path.Combine(trash, path));
                }
            }
            // Longest first: a folder's path is longer than its parent's, so children go before parents.
            foreach (string folder in owned.Folders.OrderByDescending(f => f.Length).ThenBy(f => f, StringComparer.Ordinal))
            {
                string full = Path.Combine(target, folder);
                if (Directory.Exists(full) && !Tree.IsLink(full) && Tree.StaysInside(target, folder) && !Directory.EnumerateFileSystemEntries(full).Any())
                {
                    next();
                    Directory.Delete(full);
                }
            }
        }

        /// <summary>Writes the phase by a rename, so the journal always holds one whole phase.</summary>
        private static void Write(string staging, string phase)
        {
            string path = Path.Combine(staging, File);
            string temporary = path + ".new";
            System.IO.File.WriteAllText(temporary, phase + "\n");
            System.IO.File.Move(temporary, path, overwrite: true);
        }
    }
}
