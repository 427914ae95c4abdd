using System.Runtime.CompilerServices;

namespace VirtSim.Kernel;

/// <summary>
/// The future event list: a 4-ary min-heap of small structs ordered by time, then by the order
/// in which events were scheduled. It is the hot path of every run, so it holds no per-event
/// objects, takes no locks and grows only when the number of pending events reaches a new high.
/// </summary>
internal sealed class EventQueue
{
    internal struct Entry
    {
        public double Time;
        public long Seq;
        public object Target;
    }

    private Entry[] _heap = new Entry[256];
    private int _count;
    public int Count => _count;

    public ref readonly Entry Peek() => ref _heap[0];

    public void Push(double time, long seq, object target)
    {
        if (_count == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }
        var entry = new Entry { Time = time, Seq = seq, Target = target };
        SiftUp(_count++, entry);
    }

    public Entry Pop()
    {
        var top = _heap[0];
        var last = _heap[--_count];
        _heap[_count] = default;
        if (_count > 0)
        {
            SiftDown(0, last);
        }
        return top;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Before(in Entry a, in Entry b) =>
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
