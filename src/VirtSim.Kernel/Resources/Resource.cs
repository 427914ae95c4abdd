using VirtSim.Kernel.Processes;

namespace VirtSim.Kernel.Resources;

/// <summary>
/// A counted resource: <see cref="Capacity"/> identical units (servers, slots, licences).
/// A process yields <see cref="Request"/> to get one unit and calls <see cref="Release"/> to
/// give it back. Waiting processes are served by priority (lower first), then first come,
/// first served.
/// </summary>
public sealed class Resource : IWaitable
{
    private readonly Simulation _sim;
    private Waiter[] _queue = new Waiter[16];
    private int _queued;
    private long _arrivals;

    private struct Waiter
    {
        public int Priority;
        public long Order;
        public Process Process;
    }

    /// <summary>Creates a resource with <paramref name="capacity"/> units.</summary>
    public Resource(Simulation simulation, int capacity)
    {
        _sim = simulation ?? throw new ArgumentNullException(nameof(simulation));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    /// <summary>The number of units.</summary>
    public int Capacity { get; }

    /// <summary>Units held right now.</summary>
    public int InUse { get; private set; }

    /// <summary>Processes waiting for a unit.</summary>
    public int QueueLength => _queued;

    /// <summary>A wait for one unit, served by <paramref name="priority"/> (lower first), then in order of arrival.</summary>
    public Await Request(int priority = 0) => Await.On(this, priority: priority);

    /// <summary>Gives a unit back; the first waiting process, if any, gets it.</summary>
    public void Release()
    {
        if (InUse == 0)
        {
            throw new InvalidOperationException("Release without a matching request.");
        }
        InUse--;
        if (_queued > 0)
        {
            var next = PopFirst();
            InUse++;
            next.Resume(this);
        }
    }

    bool IWaitable.TryAttach(Process process, in Await request)
    {
        if (InUse < Capacity && _queued == 0)
        {
            InUse++;
            return true;
        }
        Enqueue(new Waiter { Priority = request.Priority, Order = _arrivals++, Process = process });
        return false;
    }

    void IWaitable.Detach(Process process)
    {
        for (int i = 0; i < _queued; i++)
        {
            if (ReferenceEquals(_queue[i].Process, process))
            {
                var last = _queue[--_queued];
                _queue[_queued] = default;
                if (i < _queued)
                {
                    _queue[i] = last;
                    SiftDown(i);
                    SiftUp(i);
                }
                return;
            }
        }
    }

    private static bool Before(in Waiter a, in Waiter b) =>
        a.Priority < b.Priority || (a.Priority == b.Priority && a.Order < b.Order);

    private void Enqueue(Waiter waiter)
    {
        if (_queued == _queue.Length)
        {
            Array.Resize(ref _queue, _queue.Length * 2);
        }
        _queue[_queued] = waiter;
        SiftUp(_queued++);
    }

    private Process PopFirst()
    {
        var first = _queue[0].Process;
        _queue[0] = _queue[--_queued];
        _queue[_queued] = default;
        if (_queued > 0)
        {
            SiftDown(0);
        }
        return first;
    }

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Before(_queue[i], _queue[parent]))
            {
                return;
            }
            (_queue[i], _queue[parent]) = (_queue[parent], _queue[i]);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            int left = 2 * i + 1, best = i;
            if (left < _queued && Before(_queue[left], _queue[best]))
            {
                best = left;
            }
            if (left + 1 < _queued && Before(_queue[left + 1], _queue[best]))
            {
                best = left + 1;
            }
            if (best == i)
            {
                return;
            }
            (_queue[i], _queue[best]) = (_queue[best], _queue[i]);
            i = best;
        }
    }
}
