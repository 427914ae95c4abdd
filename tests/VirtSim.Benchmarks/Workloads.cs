using VirtSim.Datacenter.Workload;
using VirtSim.Kernel;
using VirtSim.Kernel.FairSharing;
using VirtSim.Kernel.Processes;
using VirtSim.Kernel.Random;

namespace VirtSim.Benchmarks;

/// <summary>The workloads measured both by the quick mode and by BenchmarkDotNet.</summary>
public static class Workloads
{
    /// <summary>
    /// The classic hold model: <paramref name="processes"/> processes each wait an exponential(1)
    /// time, again and again, so the event list holds that many pending events at all times.
    /// </summary>
    public static Simulation Hold(int processes)
    {
        var sim = new Simulation(1);
        var delay = new Distribution.Exponential(1).Bind(sim.Streams["hold"]);
        for (int i = 0; i < processes; i++)
        {
            sim.Start(Holder(sim, delay));
        }
        return sim;
    }

    private static IEnumerable<Await> Holder(Simulation sim, Sampler delay)
    {
        while (true)
        {
            yield return sim.Delay(delay.Sample());
        }
    }

    /// <summary>M/M/4 with arrival rate 3.2/s and service rate 1/s, the station as users run it.</summary>
    public static (Simulation Sim, QueueingStation Station) MM4()
    {
        var sim = new Simulation(4);
        var spec = new StationSpec(4, QueueDiscipline.FirstComeFirstServed, null,
            new Distribution.Exponential(1 / 3.2), new Distribution.Exponential(1));
        var station = new QueueingStation(sim, spec);
        station.Start();
        return (sim, station);
    }

    /// <summary>
    /// <paramref name="concurrent"/> activities always in progress on one shared resource: each
    /// finishing activity is replaced by a new one (exponential work), so every event changes
    /// the rates of all of them.
    /// </summary>
    public static Simulation FairShare(int concurrent)
    {
        var sim = new Simulation(7);
        var fs = new FairShare(sim);
        var cpu = fs.AddResource(concurrent / 2.0, "cpu");
        var work = new Distribution.Exponential(1).Bind(sim.Streams["work"]);
        for (int i = 0; i < concurrent; i++)
        {
            var job = fs.CreateActivity().Uses(cpu);
            job.RateCap = 1;
            job.Completed = j => j.Start(work.Sample());
            job.Start(work.Sample());
        }
        return sim;
    }
}
