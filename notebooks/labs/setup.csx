// Run first by every notebook (#load "setup.csx"): checks that the simulator has been packed into
// the repository's artifacts/ folder, the local NuGet source the next cell loads it from, and if
// not says in one line what to run, rather than leaving NuGet to say it cannot find the package.
sealed class LabSetupException(string message) : Exception(message)
{
    public override string StackTrace => "";
    public override string ToString() => Message;
}

var labRoot = new System.IO.DirectoryInfo(System.IO.Directory.GetCurrentDirectory());
while (labRoot is not null && !System.IO.File.Exists(System.IO.Path.Combine(labRoot.FullName, "Simulator.sln")))
{
    labRoot = labRoot.Parent;
}
if (labRoot is null)
{
    throw new LabSetupException("This notebook runs from inside the VirtSim repository (open it where it is, under notebooks/).");
}
string labArtifacts = System.IO.Path.Combine(labRoot.FullName, "artifacts");
if (!System.IO.Directory.Exists(labArtifacts) || !System.IO.Directory.EnumerateFiles(labArtifacts, "VirtSim.Experiments.*.nupkg").Any())
{
    throw new LabSetupException("VirtSim is not packed yet: run scripts/pack from the repository's root (see notebooks/README.md), then run the notebook again.");
}
