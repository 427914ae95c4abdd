using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework;
using VirtSim.Datacenter.Hosting;

namespace VirtSim.Tests.Datacenter;

/// <summary>
/// The datacenter model stands in layers: each namespace uses only those below it, so that a
/// newcomer can read it from the bottom up and a change to a layer cannot reach down.
/// </summary>
public class LayeringTests
{
    /// <summary>Bottom first; the datacenter (the root namespace) composes them all.</summary>
    private static readonly string[] Layers =
    [
        "Validation", "Metrics", "Network", "Hosting", "Virtualization", "Placement", "Containers", "Workload", "Serverless", "",
    ];

    private const string Root = "VirtSim.Datacenter";

    private static int LayerOf(string? ns) =>
        ns == Root ? Layers.Length - 1
            : ns is not null && ns.StartsWith(Root + ".", StringComparison.Ordinal) ? Array.IndexOf(Layers, ns[(Root.Length + 1)..])
            : -1;

    [Test]
    public void EveryNamespaceOfTheModelIsALayer()
    {
        var namespaces = typeof(Host).Assembly.GetTypes().Select(t => t.Namespace).Where(n => n?.StartsWith(Root, StringComparison.Ordinal) == true).Distinct();
        Assert.That(namespaces.Where(n => LayerOf(n) < 0), Is.Empty, "a namespace missing from the list of layers");
    }

    [Test]
    public void NoTypeMentionsATypeOfAHigherLayerInItsMembers()
    {
        var upward = References().Where(r => LayerOf(r.User.Namespace) >= 0 && LayerOf(r.Used.Namespace) > LayerOf(r.User.Namespace));
        Assert.That(upward.Select(r => $"{r.User.FullName} uses {r.Used.FullName}"), Is.Empty);
    }

    [Test]
    public void TheScanSeesPrivateFieldsAndSignatures()
    {
        // Without this the check above could pass by seeing nothing: the container cluster holds
        // the VM provider in a private field, a VM names its host in a property.
        var references = References().Select(r => (r.User.Name, r.Used.Name)).ToHashSet();
        Assert.That(references, Does.Contain(("ContainerCluster", "IVmProvider")));
        Assert.That(references, Does.Contain(("VirtualMachine", "Host")));
    }

    private static IEnumerable<(Type User, Type Used)> References()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in typeof(Host).Assembly.GetTypes())
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

    [Test]
    public void NoSourceFileImportsAHigherLayer()
    {
        var folder = Path.Combine(Repository.Root, "src", "VirtSim.Datacenter");
        var upward = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            string text = File.ReadAllText(file);
            var own = Regex.Match(text, @"^namespace ([\w.]+);", RegexOptions.Multiline);
            Assert.That(own.Success, $"{file} declares no namespace");
            int layer = LayerOf(own.Groups[1].Value);
            foreach (Match import in Regex.Matches(text, @"^using (VirtSim\.Datacenter[\w.]*);", RegexOptions.Multiline))
            {
                if (LayerOf(import.Groups[1].Value) > layer)
                {
                    upward.Add($"{Path.GetRelativePath(folder, file)} imports {import.Groups[1].Value}");
                }
            }
        }
        Assert.That(upward, Is.Empty);
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
