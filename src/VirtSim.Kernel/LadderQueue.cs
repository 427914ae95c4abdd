namespace VirtSim.Kernel;

/// <summary>
/// A ladder queue (Tang, Goh and Thng, "Ladder Queue: An O(1) Priority Queue Structure for
/// Large-Scale Discrete Event Simulation", ACM TOMACS 15(3), 2005): far-future events wait
/// unsorted in a top list; nearer ones in the buckets of a few rungs, each rung a finer split of
/// one bucket of the rung above; only the events of the earliest bucket are sorted, into a short
/// bottom list. Enqueue and dequeue cost O(1) amortized whatever the
/// number pending, where a heap pays O(log n) and, at a million events, a cache miss a level.
/// </summary>
/// <remarks>
/// Order is the heap's: by time, then by the sequence number each event was scheduled with
/// (first scheduled, first served); buckets are unsorted and every sort compares both. Events
/// live in one pool of nodes linked into buckets, reused through a free list, so once the pool
/// and the rungs have grown to the run's high-water mark nothing more is allocated.
/// </remarks>
internal sealed class LadderQueue
{
    // A bucket this small is sorted into the bottom; a larger one becomes a finer rung.
    private const int Threshold = 48;
    private const int MaxRungs = 8;
    private const int EventsPerBucket = 4;

    // The pool of nodes: an entry and the next node of its list (-1 ends a list), side by side so
    // that linking one in touches one cache line.
    private Node[] _nodes = new Node[1024];
    private int _used;
    private int _free = -1;

    // Top: events at or after _topStart, unsorted.
    private int _top = -1;
    private int _topCount;
    private double _topMin = double.PositiveInfinity;
    private double _topMax = double.NegativeInfinity;
    private double _topStart = double.NegativeInfinity;

    private readonly Rung[] _rungs = new Rung[MaxRungs];
    private int _rungCount;

    // Bottom: the earliest events, sorted, taken from _bottomHead on; _bottomEnd is one past the
    // last. An event later than all of them (the common case: one scheduled for now, after those
    // already due now) is appended at the end in O(1).
    private EventQueue.Entry[] _bottom = new EventQueue.Entry[2 * Threshold];
    private int _bottomHead;
    private int _bottomEnd;

    public LadderQueue()
    {
        for (int i = 0; i < MaxRungs; i++)
        {
            _rungs[i] = new Rung();
        }
    }

    public int Count { get; private set; }

    public void Push(in EventQueue.Entry entry)
    {
        Count++;
        double time = entry.Time;
        if (time >= _topStart)
        {
            int node = Allocate(entry);
            _nodes[node].Next = _top;
            _top = node;
            _topCount++;
            _topMin = Math.Min(_topMin, time);
            _topMax = Math.Max(_topMax, time);
            return;
        }
        // The coarsest rung whose current bucket starts at or before the time takes it.
        for (int i = 0; i < _rungCount; i++)
        {
            var rung = _rungs[i];
            if (time >= rung.CurrentStart)
            {
                rung.Add(this, Allocate(entry), time);
                return;
            }
        }
        InsertIntoBottom(entry);
    }

    /// <summary>The earliest event; the queue must not be empty.</summary>
    public ref readonly EventQueue.Entry Peek()
    {
        if (_bottomHead == _bottomEnd)
        {
            Refill();
        }
        return ref _bottom[_bottomHead];
    }

    /// <summary>Removes and returns the earliest event; the queue must not be empty.</summary>
    public EventQueue.Entry Pop()
    {
        if (_bottomHead == _bottomEnd)
        {
            Refill();
        }
        Count--;
        var entry = _bottom[_bottomHead];
        _bottom[_bottomHead++] = default;
        if (_bottomHead == _bottomEnd)
        {
            _bottomHead = _bottomEnd = 0;
        }
        return entry;
    }

    /// <summary>Forgets the rungs and the top's bounds; call only when empty.</summary>
    public void Reset()
    {
        _rungCount = 0;
        _topStart = double.NegativeInfinity;
        ClearTop();
    }

    private void Refill()
    {
        while (_bottomHead == _bottomEnd)
        {
            if (_rungCount == 0)
            {
                if (_topCount == 0)
                {
                    throw new InvalidOperationException("The event queue is empty.");
                }
                TopToRung();
                continue;
            }
            var rung = _rungs[_rungCount - 1];
            int bucket = rung.NextNonEmpty();
            if (bucket < 0)
            {
                _rungCount--;
                continue;
            }
            int count = rung.Slots[bucket].Count;
            int head = rung.TakeBucket(bucket);
            if (count > Threshold && _rungCount < MaxRungs && Spread(head, out double min, out double max))
            {
                // Too many to sort at once: a finer rung over this bucket's span.
                var child = _rungs[_rungCount++];
                double width = rung.Width / count;
                child.Reset(rung.BucketStart(bucket), width, count);
                for (int node = head; node >= 0;)
                {
                    int next = _nodes[node].Next;
                    child.Add(this, node, _nodes[node].Entry.Time);
                    node = next;
                }
                continue;
            }
            MoveToBottom(head, count);
        }
    }

    private void TopToRung()
    {
        if (_topMax == _topMin)
        {
            // All at one time: nothing to spread; sorted by sequence they are the bottom.
            // Later events at that time go on top (after these, by sequence); earlier ones into the bottom.
            int head = _top;
            int count = _topCount;
            _topStart = _topMax;
            ClearTop();
            MoveToBottom(head, count);
            return;
        }
        var rung = _rungs[0];
        _rungCount = 1;
        // A few events a bucket: fewer buckets to touch, and each sort still short.
        int buckets = _topCount / EventsPerBucket + 2;
        double width = (_topMax - _topMin) / (buckets - 1);
        rung.Reset(_topMin, width, buckets);
        // Later events go on top again until this rung is used up.
        _topStart = _topMin + width * buckets;
        int node = _top;
        ClearTop();
        while (node >= 0)
        {
            int next = _nodes[node].Next;
            rung.Add(this, node, _nodes[node].Entry.Time);
            node = next;
        }
    }

    private void ClearTop()
    {
        _top = -1;
        _topCount = 0;
        _topMin = double.PositiveInfinity;
        _topMax = double.NegativeInfinity;
    }

    private bool Spread(int head, out double min, out double max)
    {
        min = double.PositiveInfinity;
        max = double.NegativeInfinity;
        for (int node = head; node >= 0; node = _nodes[node].Next)
        {
            double time = _nodes[node].Entry.Time;
            min = Math.Min(min, time);
            max = Math.Max(max, time);
        }
        return max > min;
    }

    private void MoveToBottom(int head, int count)
    {
        if (_bottom.Length < count)
        {
            Array.Resize(ref _bottom, Math.Max(count, 2 * _bottom.Length));
        }
        int n = 0;
        for (int node = head; node >= 0;)
        {
            int next = _nodes[node].Next;
            _bottom[n++] = _nodes[node].Entry;
            Release(node);
            node = next;
        }
        Sort(_bottom, n);
        _bottomHead = 0;
        _bottomEnd = n;
    }

    private void InsertIntoBottom(in EventQueue.Entry entry)
    {
        if (_bottomEnd == _bottom.Length)
        {
            if (_bottomHead > 0)
            {
                // Room freed at the front: move the entries back to it.
                Array.Copy(_bottom, _bottomHead, _bottom, 0, _bottomEnd - _bottomHead);
                Array.Clear(_bottom, _bottomEnd - _bottomHead, _bottomHead);
                _bottomEnd -= _bottomHead;
                _bottomHead = 0;
            }
            else
            {
                Array.Resize(ref _bottom, 2 * _bottom.Length);
            }
        }
        // Move every entry that comes after this one back by one (none, for one due after all).
        int i = _bottomEnd;
        while (i > _bottomHead && EventQueue.Before(entry, _bottom[i - 1]))
        {
            _bottom[i] = _bottom[i - 1];
            i--;
        }
        _bottom[i] = entry;
        _bottomEnd++;
    }

    private int Allocate(in EventQueue.Entry entry)
    {
        int node;
        if (_free >= 0)
        {
            node = _free;
            _free = _nodes[node].Next;
        }
        else
        {
            if (_used == _nodes.Length)
            {
                Array.Resize(ref _nodes, 2 * _nodes.Length);
            }
            node = _used++;
        }
        _nodes[node].Entry = entry;
        return node;
    }

    private void Release(int node)
    {
        _nodes[node].Entry = default;
        _nodes[node].Next = _free;
        _free = node;
    }

    private struct Node
    {
        public EventQueue.Entry Entry;
        public int Next;
    }

    /// <summary>A bucket: its list of nodes and how many.</summary>
    private struct Bucket
    {
        public int Head;
        public int Count;
    }

    /// <summary>One rung: equal buckets of <see cref="Width"/> from <see cref="Start"/>, used from <see cref="Current"/> on.</summary>
    private sealed class Rung
    {
        public double Start;
        public double Width;
        public int Buckets;
        public int Current;
        public Bucket[] Slots = [];

        /// <summary>Where the current bucket starts: earlier events belong to a finer rung or the bottom.</summary>
        public double CurrentStart;

        public void Reset(double start, double width, int buckets)
        {
            Start = start;
            Width = width;
            Buckets = buckets;
            Current = 0;
            CurrentStart = start;
            if (Slots.Length < buckets)
            {
                Slots = new Bucket[Math.Max(buckets, 2 * Slots.Length)];
            }
            Array.Fill(Slots, new Bucket { Head = -1 }, 0, buckets);
        }

        public double BucketStart(int bucket) => Start + bucket * Width;

        public void Add(LadderQueue queue, int node, double time)
        {
            // Rounding may put a time a hair outside: clamp to the buckets in use, which keeps order.
            double position = (time - Start) / Width;
            int bucket = position >= Buckets ? Buckets - 1 : (int)position;
            if (bucket < Current)
            {
                bucket = Current;
            }
            ref var slot = ref Slots[bucket];
            queue._nodes[node].Next = slot.Head;
            slot.Head = node;
            slot.Count++;
        }

        public int NextNonEmpty()
        {
            while (Current < Buckets && Slots[Current].Count == 0)
            {
                Current++;
            }
            if (Current == Buckets)
            {
                return -1;
            }
            return Current;
        }

        /// <summary>Empties <paramref name="bucket"/> (the current one) and moves past it; returns its list.</summary>
        public int TakeBucket(int bucket)
        {
            int head = Slots[bucket].Head;
            Slots[bucket] = new Bucket { Head = -1 };
            Current = bucket + 1;
            CurrentStart = Start + Current * Width;
            return head;
        }
    }

    /// <summary>
    /// Sorts the first <paramref name="n"/> entries, earliest first: insertion sort for the short
    /// runs a bucket usually holds, heapsort beyond (no allocation, unlike a sort through an
    /// IComparer, which makes a delegate per call).
    /// </summary>
    private static void Sort(EventQueue.Entry[] items, int n)
    {
        if (n <= 32)
        {
            for (int i = 1; i < n; i++)
            {
                var item = items[i];
                int j = i;
                while (j > 0 && EventQueue.Before(item, items[j - 1]))
                {
                    items[j] = items[j - 1];
                    j--;
                }
                items[j] = item;
            }
            return;
        }
        // Heapsort with a max-heap: the latest goes to the end, which leaves the earliest first.
        for (int i = n / 2 - 1; i >= 0; i--)
        {
            SiftDown(items, i, n);
        }
        for (int end = n - 1; end > 0; end--)
        {
            (items[0], items[end]) = (items[end], items[0]);
            SiftDown(items, 0, end);
        }
    }

    private static void SiftDown(EventQueue.Entry[] items, int i, int n)
    {
        var item = items[i];
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n)
            {
                break;
            }
            if (child + 1 < n && EventQueue.Before(items[child], items[child + 1]))
            {
                child++;
            }
            if (!EventQueue.Before(item, items[child]))
            {
                break;
            }
            items[i] = items[child];
            i = child;
        }
        items[i] = item;
    }
}
