using System.Runtime.CompilerServices;

namespace VirtSim.Kernel;

/// <summary>
/// The future event list, ordered by time, then by the order in which events were scheduled. It
/// is the hot path of every run, so it holds no per-event objects, takes no locks and grows only
/// when the number of pending events reaches a new high. Small lists are a 4-ary min-heap of
/// small structs; past <see cref="LadderAbove"/> pending events the list moves into a
/// <see cref="LadderQueue"/>, whose cost per event does not grow with its size, and back into
/// the heap below <see cref="HeapBelow"/> (the gap keeps a list near the boundary from moving
/// back and forth).
/// </summary>
internal sealed class EventQueue
{
    /// <summary>
    /// Pending events beyond which the ladder queue is used: with a handful pending the heap is
    /// faster, from about a thousand the ladder (docs/benchmarks.md, "Ladder queue").
    /// </summary>
    internal const int LadderAbove = 256;

    /// <summary>Pending events below which the heap is used again.</summary>
    internal const int HeapBelow = 64;

    private LadderQueue? _ladder;
    private bool _onLadder;

    internal struct Entry
    {
        public double Time;
        public long Seq;
        public object Target;
    }

    private Entry[] _heap = new Entry[256];
    // Entries in the heap; on the ladder, the ladder's count (kept here so that Count needs no test).
    private int _count;

    public int Count => _count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref readonly Entry Peek()
    {
        if (_onLadder)
        {
            return ref _ladder!.Peek();
        }
        return ref _heap[0];
    }

    /// <summary>Asks for the memory of the next events' targets while the current one runs; the list must not be empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchAhead()
    {
        if (_onLadder)
        {
            _ladder!.PrefetchAhead();
            return;
        }
        // A heap keeps no order beyond its first entry: only that one's target can be asked for.
        Prefetch.Object(_heap[0].Target);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(double time, long seq, object target)
    {
        if (_onLadder || _count == LadderAbove)
        {
            PushToLadder(new Entry { Time = time, Seq = seq, Target = target });
            return;
        }
        if (_count == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }
        SiftUp(_count++, new Entry { Time = time, Seq = seq, Target = target });
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Entry Pop()
    {
        if (_onLadder)
        {
            return PopFromLadder();
        }
        var top = _heap[0];
        var last = _heap[--_count];
        _heap[_count] = default;
        if (_count > 0)
        {
            SiftDown(0, last);
        }
        return top;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void PushToLadder(in Entry entry)
    {
        if (!_onLadder)
        {
            ToLadder();
        }
        _ladder!.Push(entry);
        _count++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Entry PopFromLadder()
    {
        var next = _ladder!.Pop();
        _count--;
        if (_count < HeapBelow)
        {
            ToHeap();
        }
        return next;
    }

    private void ToLadder()
    {
        _ladder ??= new LadderQueue();
        for (int i = 0; i < _count; i++)
        {
            _ladder.Push(_heap[i]);
            _heap[i] = default;
        }
        _onLadder = true;
    }

    private void ToHeap()
    {
        var ladder = _ladder!;
        _onLadder = false;
        // Popped in order, the entries form a valid heap as they are appended.
        _count = 0;
        while (ladder.Count > 0)
        {
            _heap[_count++] = ladder.Pop();
        }
        ladder.Reset();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Before(in Entry a, in Entry b) =>
        a.Time < b.Time || (a.Time == b.Time && a.Seq < b.Seq);

    private void SiftUp(int hole, Entry entry)
    {
        var heap = _heap;
        while (hole > 0)
        {
            int parent = (hole - 1) >> 2;
            if (!Before(entry, heap[parent]))
            {
                break;
            }
            heap[hole] = heap[parent];
            hole = parent;
        }
        heap[hole] = entry;
    }

    private void SiftDown(int hole, Entry entry)
    {
        var heap = _heap;
        int count = _count;
        while (true)
        {
            int first = (hole << 2) + 1;
            if (first >= count)
            {
                break;
            }
            int best = first;
            int end = Math.Min(first + 4, count);
            for (int child = first + 1; child < end; child++)
            {
                if (Before(heap[child], heap[best]))
                {
                    best = child;
                }
            }
            if (!Before(heap[best], entry))
            {
                break;
            }
            heap[hole] = heap[best];
            hole = best;
        }
        heap[hole] = entry;
    }
}
