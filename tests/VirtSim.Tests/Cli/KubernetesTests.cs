using YamlDotNet.RepresentationModel;

namespace VirtSim.Tests.Cli;

/// <summary>
/// The Kubernetes manifests (deploy/kubernetes/render): no cluster runs here, so the test renders
/// them for N shards, checks what Kubernetes would do with them (an Indexed Job of N completions,
/// each pod's shard from its completion index, the scenario and results volumes, a merge after
/// the shards), and runs the pods' command lines with this build's tool, the completion index
/// substituted as Kubernetes would and the volumes as folders: merged, they give one process's bytes.
/// </summary>
public class KubernetesTests : WithWorkFolder
{
    private static YamlMappingNode Map(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node)[key];

    private static string Text(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node)[key]).Value!;

    private static List<string> Args(YamlMappingNode container) =>
        ((YamlSequenceNode)container["args"]).Children.Select(a => ((YamlScalarNode)a).Value!).ToList();

    [Test]
    public void TheIndexedJobsCommandLinesRunLocallyToTheBytesOfOneProcess()
    {
        const int shards = 3;
        string scenario = Path.Combine(Repository.Examples, "faas-engines.yaml");
        var (code, manifest, errors) = ExternalProcess.Run(Path.Combine(Repository.Root, "deploy", "kubernetes", "render"),
            [scenario, shards.ToString(System.Globalization.CultureInfo.InvariantCulture), "--replications", "4"], TimeSpan.FromMinutes(1), Repository.Root);
        Assert.That(code, Is.Zero, errors);
        var stream = new YamlStream();
        stream.Load(new StringReader(manifest));
        var objects = stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToDictionary(o => $"{Text(o, "kind")}/{Text(Map(o, "metadata"), "name")}");
        Assert.That(objects.Keys, Is.EquivalentTo(new[] { "ConfigMap/virtsim-scenario", "Job/virtsim-shards", "Job/virtsim-merge",
            "ServiceAccount/virtsim-merge", "Role/virtsim-merge", "RoleBinding/virtsim-merge" }));

        // The scenario travels in a ConfigMap, unchanged.
        Assert.That(Text(Map(objects["ConfigMap/virtsim-scenario"], "data"), "faas-engines.yaml").TrimEnd(), Is.EqualTo(File.ReadAllText(scenario).TrimEnd()));

        // An Indexed Job: N completions at once, each pod's shard from its completion index.
        var job = Map(objects["Job/virtsim-shards"], "spec");
        Assert.That((Text(job, "completionMode"), Text(job, "completions"), Text(job, "parallelism")), Is.EqualTo(("Indexed", "3", "3")));
        var pod = Map(Map(job, "template"), "spec");
        var container = (YamlMappingNode)((YamlSequenceNode)pod["containers"]).Children.Single();
        var args = Args(container);
        Assert.That(args, Is.EqualTo(new[] { "run", "/scenarios/faas-engines.yaml", "--shard", "$(JOB_COMPLETION_INDEX)/3", "--out", "/results/parts",
            "--parallelism", "1", "--replications", "4" }));
        var mounts = ((YamlSequenceNode)container["volumeMounts"]).Children.Cast<YamlMappingNode>().ToDictionary(m => Text(m, "name"), m => Text(m, "mountPath"));
        Assert.That(mounts, Is.EquivalentTo(new Dictionary<string, string> { ["scenario"] = "/scenarios", ["results"] = "/results" }));
        var volumes = ((YamlSequenceNode)pod["volumes"]).Children.Cast<YamlMappingNode>().ToDictionary(v => Text(v, "name"));
        Assert.That(Text(Map(volumes["results"], "persistentVolumeClaim"), "claimName"), Is.EqualTo("virtsim-results"));
        Assert.That(Text(Map(volumes["scenario"], "configMap"), "name"), Is.EqualTo("virtsim-scenario"));

        // The merge waits for the shards' Job, then merges the parts on the same volume.
        var merge = Map(Map(Map(objects["Job/virtsim-merge"], "spec"), "template"), "spec");
        var wait = (YamlMappingNode)((YamlSequenceNode)merge["initContainers"]).Children.Single();
        Assert.That(Args(wait), Does.Contain("--for=condition=complete").And.Contain("job/virtsim-shards"));
        var mergeArgs = Args((YamlMappingNode)((YamlSequenceNode)merge["containers"]).Children.Single());
        Assert.That(mergeArgs, Is.EqualTo(new[] { "merge", "/results/parts", "--out", "/results/merged" }));

        // The pods' command lines, run here: Kubernetes puts the completion index in
        // JOB_COMPLETION_INDEX and expands $(...) in args; the volumes become folders.
        string scenarios = Path.Combine(Work, "scenarios"), results = Path.Combine(Work, "results");
        Directory.CreateDirectory(scenarios);
        File.WriteAllText(Path.Combine(scenarios, "faas-engines.yaml"), Text(Map(objects["ConfigMap/virtsim-scenario"], "data"), "faas-engines.yaml"));
        string Local(string arg, int index) => arg.Replace("$(JOB_COMPLETION_INDEX)", index.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("/scenarios", scenarios, StringComparison.Ordinal).Replace("/results", results, StringComparison.Ordinal);
        for (int index = 0; index < shards; index++)
        {
            var run = Virtsim.Run([.. args.Select(a => Local(a, index))]);
            Assert.That(run.Code, Is.Zero, run.Err);
        }
        var merged = Virtsim.Run([.. mergeArgs.Select(a => Local(a, 0))]);
        Assert.That(merged.Code, Is.Zero, merged.Err);
        var single = Virtsim.Run("run", scenario, "--replications", "4", "--out", Path.Combine(Work, "single"));
        Assert.That(single.Code, Is.Zero, single.Err);
        foreach (string file in Directory.GetFiles(Path.Combine(Work, "single")))
        {
            Assert.That(File.ReadAllBytes(Path.Combine(results, "merged", Path.GetFileName(file))), Is.EqualTo(File.ReadAllBytes(file)), file);
        }
    }
}
