using VirtSim.Kernel.Processes;

namespace VirtSim.Kernel.Resources;

/// <summary>Holds the item a process took from a <see cref="Store{T}"/>; reuse one per process.</summary>
public sealed class Slot<T> : IWaitable
{
    internal Store<T>? Source;

    /// <summary>The item last taken into this slot.</summary>
    public T Value { get; internal set; } = default!;

    bool IWaitable.TryAttach(Process process, in Await request) => Source!.TryGet(process, this);

    void IWaitable.Detach(Process process) => Source!.Forget(process);
}

/// <summary>
/// A store of items, first in, first out, with an optional capacity. Getters wait while it is
/// empty and are served in order; putters wait while it is full. Items are handed over through
/// a <see cref="Slot{T}"/> so that value types are not boxed.
/// </summary>
public sealed class Store<T>
{
    private readonly Queue<T> _items = new();
    private readonly Queue<(Process Process, Slot<T> Slot)> _getters = new();
    private readonly Queue<(Process Process, T Item)> _putters = new();
    private readonly PutSide _putSide;

    /// <summary>Creates a store holding at most <paramref name="capacity"/> items.</summary>
    public Store(Simulation simulation, int capacity = int.MaxValue)
    {
        Simulation = simulation ?? throw new ArgumentNullException(nameof(simulation));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _putSide = new PutSide(this);
    }

    /// <summary>The simulation the store belongs to.</summary>
    public Simulation Simulation { get; }

    /// <summary>The most items the store holds.</summary>
    public int Capacity { get; }

    /// <summary>Items in the store now.</summary>
    public int Count => _items.Count;

    /// <summary>Processes waiting for an item.</summary>
    public int WaitingGetters => _getters.Count;

    /// <summary>A wait for the next item, which is put into <paramref name="into"/>.</summary>
    public Await Get(Slot<T> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        into.Source = this;
        return Await.On(into);
    }

    /// <summary>
    /// Puts an item, or hands it straight to a waiting getter. When the store is full, the
    /// calling process waits (yield the result) until there is room; outside a process it throws.
    /// </summary>
    public Await Put(T item)
    {
        if (TryPut(item))
        {
            return Await.On(Done.Instance);
        }
        var process = Simulation.ActiveProcess
            ?? throw new InvalidOperationException("The store is full; only a process can wait to put into it.");
        _putters.Enqueue((process, item));
        return Await.On(_putSide);
    }

    /// <summary>Puts an item if there is room (or a waiting getter) and says whether it did.</summary>
    public bool TryPut(T item)
    {
        if (_getters.Count > 0)
        {
            var (getter, slot) = _getters.Dequeue();
            slot.Value = item;
            getter.Resume(slot);
            return true;
        }
        if (_items.Count >= Capacity)
        {
            return false;
        }
        _items.Enqueue(item);
        return true;
    }

    internal bool TryGet(Process process, Slot<T> slot)
    {
        if (_items.Count > 0)
        {
            slot.Value = _items.Dequeue();
            AdmitWaitingPutter();
            process.SetValue(slot);
            return true;
        }
        _getters.Enqueue((process, slot));
        return false;
    }

    internal void Forget(Process process) => Remove(_getters, process);

    private void AdmitWaitingPutter()
    {
        if (_putters.Count > 0 && _items.Count < Capacity)
        {
            var (putter, item) = _putters.Dequeue();
            _items.Enqueue(item);
            putter.Resume();
        }
    }

    private static void Remove<TOther>(Queue<(Process Process, TOther Other)> queue, Process process)
    {
        int n = queue.Count;
        for (int i = 0; i < n; i++)
        {
            var entry = queue.Dequeue();
            if (!ReferenceEquals(entry.Process, process))
            {
                queue.Enqueue(entry);
            }
        }
    }

    private sealed class PutSide(Store<T> store) : IWaitable
    {
        // The item was queued by Put; the process just parks until AdmitWaitingPutter resumes it.
        public bool TryAttach(Process process, in Await request) => false;

        public void Detach(Process process) => Remove(store._putters, process);
    }
}

/// <summary>A wait that is already satisfied.</summary>
internal sealed class Done : IWaitable
{
    public static readonly Done Instance = new();

    public bool TryAttach(Process process, in Await request) => true;

    public void Detach(Process process)
    {
    }
}
