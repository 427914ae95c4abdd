using VirtSim.Datacenter.Metrics;
using VirtSim.Datacenter.Validation;
using VirtSim.Kernel;
using VirtSim.Kernel.FairSharing;
using VirtSim.Kernel.Processes;
using VirtSim.Kernel.Random;
using VirtSim.Kernel.Resources;
using VirtSim.Kernel.Statistics;

namespace VirtSim.Datacenter.Workload;

/// <summary>
/// Runs a <see cref="StationSpec"/> inside a simulation and measures it. Arrivals and service
/// demands come from their own named streams and are drawn at arrival, so the same seed gives
/// the same customers whatever the discipline (common random numbers across comparisons).
/// </summary>
public sealed class QueueingStation
{
    private readonly Simulation _sim;
    private readonly StationSpec _spec;
    private readonly Sampler _interarrival;
    private readonly Sampler _service;
    private readonly Tally _response = new();
    private readonly Tally _waiting = new();
    private readonly QuantileSketch _responseQuantiles = new();
    private readonly TimeWeighted _inSystem = new();
    private readonly TimeWeighted _busy = new();
    private readonly Store<Customer> _queue;
    private readonly SharedResource? _servers;
    private readonly Stack<Activity> _idleJobs = new();
    private long _arrivals;
    private long _lost;
    private long _waited;
    private double _measuredSince;

    private readonly record struct Customer(double ArrivedAt, double ServiceTime);

    /// <summary>Builds the station in <paramref name="simulation"/>; call <see cref="Start"/> to let customers in.</summary>
    public QueueingStation(Simulation simulation, StationSpec spec)
    {
        _sim = simulation ?? throw new ArgumentNullException(nameof(simulation));
        _spec = spec ?? throw new ArgumentNullException(nameof(spec));
        SpecException.ThrowIfAny(spec.Validate());
        _interarrival = spec.Interarrival.Bind(simulation.Streams["arrivals"]);
        _service = spec.Service.Bind(simulation.Streams["service"]);
        _queue = new Store<Customer>(simulation);
        if (spec.Discipline == QueueDiscipline.ProcessorSharing)
        {
            _servers = new FairShare(simulation).AddResource(spec.Servers, "servers");
        }
    }

    /// <summary>Starts the arrivals and, under FCFS, the servers.</summary>
    public void Start()
    {
        _sim.Start(Arrivals());
        if (_spec.Discipline == QueueDiscipline.FirstComeFirstServed)
        {
            for (int i = 0; i < _spec.Servers; i++)
            {
                _sim.Start(Server());
            }
        }
    }

    /// <summary>Forgets what was measured so far: the end of the warm-up.</summary>
    public void ResetStatistics()
    {
        double now = _sim.Now;
        _response.Reset();
        _waiting.Reset();
        _responseQuantiles.Reset();
        _inSystem.Reset(now);
        _busy.Reset(now);
        _arrivals = _lost = _waited = 0;
        _measuredSince = now;
    }

    private IEnumerable<Await> Arrivals()
    {
        while (true)
        {
            yield return _sim.Delay(_interarrival.Sample());
            Arrive(new Customer(_sim.Now, _service.Sample()));
        }
    }

    private void Arrive(Customer customer)
    {
        _arrivals++;
        if (_inSystem.Current >= _spec.Capacity)
        {
            _lost++;
            return;
        }
        _inSystem.Add(_sim.Now, 1);
        if (_servers is null)
        {
            _queue.TryPut(customer);
            return;
        }
        // Processor sharing: the customer starts at once and gets an equal share of the
        // servers, never more than one whole server.
        _busy.Set(_sim.Now, Math.Min(_inSystem.Current, _spec.Servers));
        var job = _idleJobs.Count > 0 ? _idleJobs.Pop() : NewJob();
        job.Start(customer.ServiceTime);
    }

    private Activity NewJob()
    {
        var job = _servers!.Owner.CreateActivity().Uses(_servers);
        job.RateCap = 1;
        job.Completed = Depart;
        return job;
    }

    private void Depart(Activity job)
    {
        _idleJobs.Push(job);
        _inSystem.Add(_sim.Now, -1);
        _busy.Set(_sim.Now, Math.Min(_inSystem.Current, _spec.Servers));
        RecordResponse(_sim.Now - job.StartedAt);
    }

    private IEnumerable<Await> Server()
    {
        var next = new Slot<Customer>();
        while (true)
        {
            yield return _queue.Get(next);
            var customer = next.Value;
            double wait = _sim.Now - customer.ArrivedAt;
            _waiting.Add(wait);
            if (wait > 0)
            {
                _waited++;
            }
            _busy.Add(_sim.Now, 1);
            yield return _sim.Delay(customer.ServiceTime);
            _busy.Add(_sim.Now, -1);
            _inSystem.Add(_sim.Now, -1);
            RecordResponse(_sim.Now - customer.ArrivedAt);
        }
    }

    private void RecordResponse(double response)
    {
        _response.Add(response);
        _responseQuantiles.Add(response);
    }

    /// <summary>What the station measured since the last reset, each value with its unit.</summary>
    public IReadOnlyList<Measurement> Measure()
    {
        double now = _sim.Now;
        double span = now - _measuredSince;
        var results = new List<Measurement>
        {
            new(MetricCatalogue.StationResponseMean.Key, _response.Mean),
            new(MetricCatalogue.StationResponseP50.Key, _responseQuantiles.Quantile(0.50)),
            new(MetricCatalogue.StationResponseP95.Key, _responseQuantiles.Quantile(0.95)),
            new(MetricCatalogue.StationResponseP99.Key, _responseQuantiles.Quantile(0.99)),
        };
        if (_spec.Discipline == QueueDiscipline.FirstComeFirstServed)
        {
            results.Add(new(MetricCatalogue.StationWaitMean.Key, _waiting.Mean));
            results.Add(new(MetricCatalogue.StationWaitProbability.Key, _waiting.Count == 0 ? double.NaN : (double)_waited / _waiting.Count));
        }
        if (_spec.Capacity is not null)
        {
            results.Add(new(MetricCatalogue.StationLossProbability.Key, _arrivals == 0 ? double.NaN : (double)_lost / _arrivals));
        }
        results.Add(new(MetricCatalogue.StationUtilization.Key, _busy.Mean(now) / _spec.Servers));
        results.Add(new(MetricCatalogue.StationInSystem.Key, _inSystem.Mean(now)));
        results.Add(new(MetricCatalogue.StationThroughput.Key, span > 0 ? _response.Count / span : double.NaN));
        results.Add(new(MetricCatalogue.StationServed.Key, _response.Count));
        return results;
    }
}
