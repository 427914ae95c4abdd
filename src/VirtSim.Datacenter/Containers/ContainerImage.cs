using System.Security.Cryptography;
using System.Text;

namespace VirtSim.Datacenter.Containers;

/// <summary>One layer of a container image: the files one build step added, named by their digest.</summary>
/// <param name="Digest">Content address, <c>sha256:…</c>. Equal digests are the same bytes: a node holding one never fetches it again.</param>
/// <param name="SizeBytes">Compressed size: what moves over the network.</param>
/// <param name="Step">The build step that made it.</param>
public sealed record Layer(string Digest, double SizeBytes, string Step);

/// <summary>A build step: what it does (as a Dockerfile line would say) and how many bytes its layer adds.</summary>
/// <param name="Instruction">The step, such as <c>RUN apt-get install apache2</c>; changing it changes the layer.</param>
/// <param name="SizeBytes">Size of the layer it produces.</param>
public sealed record BuildStep(string Instruction, double SizeBytes);

/// <summary>
/// A container image: ordered layers on top of each other, plus what kernel and instruction set
/// its binaries need. It carries no operating system kernel: it runs on the kernel of the node
/// its runtime engine runs on.
/// </summary>
/// <param name="Name">Name, such as <c>lamp:2</c>.</param>
/// <param name="Layers">Layers, from the bottom (the base) up.</param>
/// <param name="OsKernel">Kernel its binaries need, such as <c>linux</c> or <c>windows</c>.</param>
/// <param name="InstructionSet">Instruction set its binaries are built for.</param>
public sealed record ContainerImage(string Name, IReadOnlyList<Layer> Layers, string OsKernel, string InstructionSet)
{
    /// <summary>
    /// The most layers an image may have: Docker's overlay2 driver mounts at most 128 layers for
    /// a container, its own writable one included, and refuses more ("max depth exceeded").
    /// The bound also keeps a chain of images built on each other linear in memory.
    /// </summary>
    public const int MaxLayers = 127;

    /// <summary>Total compressed size of all layers.</summary>
    public double SizeBytes => Layers.Sum(l => l.SizeBytes);

    /// <summary>
    /// Builds an image step by step on top of <paramref name="baseImage"/> (or from nothing), as a
    /// Dockerfile does. Each layer's digest covers its step and the digest of the layer below,
    /// as a build cache's key does: change a step and that layer and every layer above it get
    /// new digests, while the layers below keep theirs.
    /// </summary>
    public static ContainerImage Build(string name, ContainerImage? baseImage, IReadOnlyList<BuildStep> steps,
        string osKernel = "linux", string instructionSet = "x86_64")
    {
        if ((baseImage?.Layers.Count ?? 0) + steps.Count > MaxLayers)
        {
            throw new ArgumentException($"Image '{name}' would have more than {MaxLayers} layers.", nameof(steps));
        }
        var layers = new List<Layer>(baseImage?.Layers ?? []);
        string parent = layers.Count > 0 ? layers[^1].Digest : "";
        foreach (var step in steps)
        {
            if (!(step.SizeBytes >= 0))
            {
                throw new ArgumentException($"Step '{step.Instruction}' has a negative size.", nameof(steps));
            }
            string digest = DigestOf(parent, step);
            layers.Add(new Layer(digest, step.SizeBytes, step.Instruction));
            parent = digest;
        }
        return new ContainerImage(name, layers, baseImage?.OsKernel ?? osKernel, baseImage?.InstructionSet ?? instructionSet);
    }

    private static string DigestOf(string parent, BuildStep step)
    {
        string content = $"{parent}\n{step.Instruction}\n{step.SizeBytes:R}";
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }
}
