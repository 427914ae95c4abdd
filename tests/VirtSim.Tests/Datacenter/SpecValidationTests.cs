using VirtSim.Datacenter;
using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Serverless;
using VirtSim.Datacenter.Validation;
using VirtSim.Experiments.Scenarios;
using VirtSim.Kernel;
using VirtSim.Kernel.Random;
using static VirtSim.Tests.Datacenter.Build;
using DC = VirtSim.Datacenter.Datacenter;

namespace VirtSim.Tests.Datacenter;

/// <summary>
/// Specs check themselves: the model refuses in C# what a reader refuses in a file, with the
/// same words and a path in the file's terms, and a reader reports a spec's error at its line.
/// </summary>
public class SpecValidationTests
{
    private static FunctionSpec Function(string name, params string[] calls) =>
        new(name, 128 * 1024 * 1024, 3, null, new Distribution.Exponential(1), new Distribution.Deterministic(0.1), 0.25, 0.25,
            KeepAlivePolicy.Fixed.Default, Calls: [.. calls.Select(c => new FunctionCall(c, true))]);

    [Test]
    public void ACallCycleIsRefusedAtTheCallThatClosesIt()
    {
        var spec = new FunctionPlatformSpec([Function("a", "b"), Function("b", "c"), Function("c", "a")], null, ThrottlePolicy.Reject, FunctionPricing.Default);
        Assert.That(spec.Validate().Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "functions[2].calls[0].function: calling 'a' from 'c' closes a cycle: the functions would invoke each other without end",
        }));
        var refused = Assert.Throws<SpecException>(() => new FunctionPlatform(new Simulation(1), spec))!;
        Assert.That(refused.Errors.Single().Path, Is.EqualTo("functions[2].calls[0].function"));
    }

    [Test]
    public void AnAcyclicChainAndAnUnknownCalleeAreToldApart()
    {
        var chain = new FunctionPlatformSpec([Function("a", "b"), Function("b", "c"), Function("c")], null, ThrottlePolicy.Reject, FunctionPricing.Default);
        Assert.That(chain.Validate(), Is.Empty);
        var unknown = chain with { Functions = [Function("a", "b"), Function("b", "d")] };
        Assert.That(unknown.Validate().Select(e => e.ToString()), Is.EqualTo(new[] { "functions[1].calls[0].function: no function named 'd' (declared: a, b)" }));
    }

    [Test]
    public void TheFileReportsTheSpecsErrorAtTheLineThatSaysIt()
    {
        const string yaml = """
            duration: 1h
            functions:
              - {name: a, arrivals: {rate: 1/s}, duration: 100ms, calls: [{function: b}]}
              - name: b
                arrivals: {rate: 1/s}
                duration: 100ms
                calls:
                  - {function: a}
            """;
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("chain.yaml", yaml))!;
        // The value 'a' of the call on line 8, column 20 ("      - {function: a}": six spaces, "- {function: ", then a).
        Assert.That((e.Line, e.Column), Is.EqualTo((8, 20)));
        Assert.That(e.Problem, Is.EqualTo("functions[1].calls[0].function: calling 'a' from 'b' closes a cycle: the functions would invoke each other without end"));
    }

    [Test]
    public void AHostWhoseImageCacheExceedsItsDiskIsRefusedInCSharpAsInAFile()
    {
        var host = Host() with { ImageCacheBytes = 2000 * GB };
        Assert.That(host.Validate().Select(e => e.ToString()), Is.EqualTo(new[] { "image_cache: expected an image cache no larger than the disk" }));
        var spec = Spec([new HostGroupSpec(host, 1)]);
        var refused = Assert.Throws<SpecException>(() => new DC(new Simulation(1), spec))!;
        Assert.That(refused.Message, Is.EqualTo("datacenter.hosts[0].image_cache: expected an image cache no larger than the disk"));
        Assert.That((Host() with { Power = new PowerModel(300, 100) }).Validate().Single().Path, Is.EqualTo("power.peak"));
    }

    [Test]
    public void ADefaultTheFileDoesNotWriteIsReportedWhereItWouldBe()
    {
        // 128 MiB by default, but 4 vCPUs asked on 2-core nodes: the instance never fits. The
        // path names the memory (with its vCPUs, what the instance reserves); the file does not
        // write it, so the message stands at the function.
        const string yaml = """
            duration: 1h
            datacenter:
              network: {topology: star, host_link: {bandwidth: 10Gbps}}
              hosts:
                - {group: node, count: 1, cores: 2, memory: 8GiB, disk: 100GB, disk_bandwidth: 1GB/s, hypervisor: none}
              engines:
                - {name: faas, host_group: node}
            container_images:
              - {name: python, steps: [{run: "FROM python", size: 100MB}]}
            platform: {engines: faas, base_images: [python]}
            functions:
              - {name: big, arrivals: {rate: 1/s}, duration: 100ms, base_image: python, vcpus: 4}
            """;
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("big.yaml", yaml))!;
        Assert.That((e.Line, e.Column), Is.EqualTo((12, 5)));
        Assert.That(e.Problem, Does.StartWith("functions[0].memory: no engine of 'faas' is large enough for an instance of function 'big'"));
    }

    [Test]
    public void AStationCheckedByItsSpec()
    {
        var station = new VirtSim.Datacenter.Workload.StationSpec(3, VirtSim.Datacenter.Workload.QueueDiscipline.FirstComeFirstServed, 2,
            new Distribution.Exponential(1), new Distribution.Exponential(1));
        Assert.That(station.Validate().Single().ToString(), Is.EqualTo("station.capacity: expected a capacity of at least the number of servers (3)"));
        Assert.Throws<SpecException>(() => new VirtSim.Datacenter.Workload.QueueingStation(new Simulation(1), station));
    }
}
