using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework;
using VirtSim.Datacenter.Hosting;

namespace VirtSim.Tests.Datacenter;

/// <summary>
/// The model and the experiments stand in layers: each namespace uses only those below it, so
/// that a newcomer can read them from the bottom up and a change to a layer cannot reach down.
/// </summary>
public class LayeringTests
{
    /// <summary>A project's layers, bottom first; its root namespace (where it has types) is the top.</summary>
    public sealed record Project(string Root, string Folder, Assembly Assembly, string[] Layers)
    {
        public int LayerOf(string? ns) =>
            ns == Root ? Layers.Length
                : ns is not null && ns.StartsWith(Root + ".", StringComparison.Ordinal) ? Array.IndexOf(Layers, ns[(Root.Length + 1)..])
                : -1;

        public override string ToString() => Root;
    }

    private static readonly Project Datacenter = new("VirtSim.Datacenter", "VirtSim.Datacenter", typeof(Host).Assembly,
        ["Validation", "Metrics", "Network", "Hosting", "Virtualization", "Placement", "Containers", "Workload", "Serverless"]);

    /// <summary>Scenarios (files to specs) below Running (replications) below Results (files, plots) below Api (notebooks).</summary>
    private static readonly Project Experiments = new("VirtSim.Experiments", "VirtSim.Experiments",
        typeof(VirtSim.Experiments.Scenarios.Scenario).Assembly, ["Scenarios", "Running", "Results", "Api"]);

    private static IEnumerable<TestCaseData> Projects() => [new TestCaseData(Datacenter).SetArgDisplayNames("Datacenter"), new TestCaseData(Experiments).SetArgDisplayNames("Experiments")];

    [TestCaseSource(nameof(Projects))]
    public void EveryNamespaceIsALayer(Project project)
    {
        var namespaces = project.Assembly.GetTypes().Select(t => t.Namespace).Where(n => n?.StartsWith(project.Root, StringComparison.Ordinal) == true).Distinct();
        Assert.That(namespaces.Where(n => project.LayerOf(n) < 0), Is.Empty, "a namespace missing from the list of layers");
    }

    [TestCaseSource(nameof(Projects))]
    public void NoTypeMentionsATypeOfAHigherLayerInItsMembers(Project project)
    {
        var upward = References(project.Assembly).Where(r => project.LayerOf(r.User.Namespace) >= 0 && project.LayerOf(r.Used.Namespace) > project.LayerOf(r.User.Namespace));
        Assert.That(upward.Select(r => $"{r.User.FullName} uses {r.Used.FullName}"), Is.Empty);
    }

    [Test]
    public void TheScanSeesPrivateFieldsAndSignatures()
    {
        // Without this the check above could pass by seeing nothing: the container cluster holds
        // the VM provider in a private field, a VM names its host in a property, a results folder
        // keeps its marker's lock in a private field.
        var references = References(Datacenter.Assembly).Concat(References(Experiments.Assembly)).Select(r => (r.User.Name, r.Used.Name)).ToHashSet();
        Assert.That(references, Does.Contain(("ContainerCluster", "IVmProvider")));
        Assert.That(references, Does.Contain(("VirtualMachine", "Host")));
        Assert.That(references, Does.Contain(("ShardFiles", "RunResult")));
    }

    private static IEnumerable<(Type User, Type Used)> References(Assembly assembly)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes())
        {
            var used = new List<Type>();
            if (type.BaseType is not null)
            {
                used.Add(type.BaseType);
            }
            used.AddRange(type.GetInterfaces());
            used.AddRange(type.GetFields(all).Select(f => f.FieldType));
            used.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                used.AddRange(method.GetParameters().Select(p => p.ParameterType));
                if (method is MethodInfo info)
                {
                    used.Add(info.ReturnType);
                }
            }
            foreach (var other in used.SelectMany(Unwrap).Distinct())
            {
                yield return (type, other);
            }
        }
    }

    [TestCaseSource(nameof(Projects))]
    public void NoSourceFileNamesAHigherLayer(Project project)
    {
        var folder = Path.Combine(Repository.Root, "src", project.Folder);
        var upward = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            string text = File.ReadAllText(file);
            var own = Regex.Match(text, @"^namespace ([\w.]+);", RegexOptions.Multiline);
            Assert.That(own.Success, $"{file} declares no namespace");
            int layer = project.LayerOf(own.Groups[1].Value);
            // Imports and names written out in full (VirtSim.Experiments.Results.PathNames in a reader).
            foreach (Match used in Regex.Matches(text, $@"\b{Regex.Escape(project.Root)}((?:\.\w+)*)"))
            {
                // The second part names the layer (VirtSim.Datacenter.Metrics.Measurement); any other is the root's type (VirtSim.Datacenter.Datacenter).
                string[] parts = used.Groups[1].Value.Split('.', StringSplitOptions.RemoveEmptyEntries);
                string ns = parts.Length > 0 && project.Layers.Contains(parts[0]) ? $"{project.Root}.{parts[0]}" : project.Root;
                if (parts.Length == 0)
                {
                    continue; // The root namespace itself, in a using: its types are checked by name where they are used.
                }
                if (project.LayerOf(ns) > layer && !text[..used.Index].EndsWith("namespace ", StringComparison.Ordinal))
                {
                    upward.Add($"{Path.GetRelativePath(folder, file)} names {ns}");
                }
            }
        }
        Assert.That(upward.Distinct(), Is.Empty);
    }

    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType)
        {
            foreach (var inner in Unwrap(type.GetElementType()!))
            {
                yield return inner;
            }
            yield break;
        }
        yield return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments().SelectMany(Unwrap))
            {
                yield return argument;
            }
        }
    }
}
