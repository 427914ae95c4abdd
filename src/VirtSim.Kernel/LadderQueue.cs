using VirtSim.Kernel.Processes;

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
/// (first scheduled, first served); buckets are unsorted and every sort compares both. A bucket
/// is a list of chunks of <see cref="ChunkSize"/> events stored side by side, from one pool
/// reused through a free list: reading a bucket streams through a few contiguous chunks, whose
/// memory is requested all at once, where a list of single events would wait on a cache miss
/// per event (at a million pending events that wait was most of the queue's time). Once the pool
/// and the rungs have grown to the run's high-water mark nothing more is allocated.
/// </remarks>
internal sealed partial class LadderQueue
{
    // A bucket this small is sorted into the bottom; a larger one becomes a finer rung.
    // Measured on hold-1m: 48 (near the 50 of Tang, Goh and Thng) left the bottom too short to
    // look ahead into (1.56 M events/s against 2.23 M at 96 and 2.24 M at 256, medians of three
    // alternating runs).
    private const int Threshold = 128;
    private const int MaxRungs = 8;
    private const int EventsPerBucket = 4;

    // How far ahead in the bottom PrefetchAhead asks for a process's state and for an event's
    // target (measured on hold-1m, medians of three alternating runs: 2.48 M events/s at 1 and 2
    // against 2.08 M at 3 and 6 and 1.96 M at 8 and 16; in another round, fetching nothing ahead
    // gave 1.59 M against 2.38 M).
    private const int BodyAhead = 1;
    private const int TargetAhead = 2;

    // Top: events at or after _topStart, unsorted.
    private Bucket _top = Bucket.Empty;
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
            Add(ref _top, entry);
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
                Add(ref rung.Slots[rung.BucketOf(time)], entry);
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

    /// <summary>
    /// Asks for the memory the next two events will need (the queue must not be empty): the
    /// state of the next one's process, whose own memory was asked for one event ago, and the
    /// event after it. At a million pending events each of these is a cache miss, which the
    /// processor can now serve while the current event runs.
    /// </summary>
    public void PrefetchAhead()
    {
        if (_bottomHead == _bottomEnd)
        {
            Refill();
        }
        int body = _bottomHead + BodyAhead;
        if (body < _bottomEnd && _bottom[body].Target is Process next)
        {
            next.PrefetchBody();
        }
        if (_bottomHead + TargetAhead < _bottomEnd)
        {
            Prefetch.Object(_bottom[_bottomHead + TargetAhead].Target);
        }
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
                if (_top.Count == 0)
                {
                    throw new InvalidOperationException("The event queue is empty.");
                }
                TopToRung();
                continue;
            }
            var rung = _rungs[_rungCount - 1];
            int index = rung.NextNonEmpty();
            if (index < 0)
            {
                _rungCount--;
                continue;
            }
            var bucket = rung.TakeBucket(index);
            RequestMemory(bucket);
            if (bucket.Count > Threshold && _rungCount < MaxRungs && Spread(bucket))
            {
                // Too many to sort at once: a finer rung over this bucket's span.
                var child = _rungs[_rungCount++];
                child.Reset(rung.BucketStart(index), rung.Width / bucket.Count, bucket.Count);
                MoveToRung(bucket, child);
                continue;
            }
            MoveToBottom(bucket);
        }
    }

    private void TopToRung()
    {
        var top = _top;
        RequestMemory(top);
        if (_topMax == _topMin)
        {
            // All at one time: nothing to spread; sorted by sequence they are the bottom.
            // Later events at that time go on top (after these, by sequence); earlier ones into the bottom.
            _topStart = _topMax;
            ClearTop();
            MoveToBottom(top);
            return;
        }
        var rung = _rungs[0];
        _rungCount = 1;
        // A few events a bucket: fewer buckets to touch, and each sort still short.
        int buckets = top.Count / EventsPerBucket + 2;
        double width = (_topMax - _topMin) / (buckets - 1);
        rung.Reset(_topMin, width, buckets);
        // Later events go on top again until this rung is used up.
        _topStart = _topMin + width * buckets;
        ClearTop();
        // Chunks enough for every event in full chunks, a part-filled one per bucket and finer
        // rungs' worth more: the pool then grows while the rung is used only if the number of
        // pending events does, not because the events spread over more buckets.
        EnsureChunks(top.Count / ChunkSize + buckets + 4 * Threshold);
        MoveToRung(top, rung);
    }

    private void ClearTop()
    {
        _top = Bucket.Empty;
        _topMin = double.PositiveInfinity;
        _topMax = double.NegativeInfinity;
    }

    private bool Spread(in Bucket bucket)
    {
        double min = double.PositiveInfinity;
        double max = double.NegativeInfinity;
        for (var chunk = Chunks(bucket); chunk.MoveNext();)
        {
            for (int i = chunk.First; i < chunk.End; i++)
            {
                double time = _slots[i].Time;
                min = Math.Min(min, time);
                max = Math.Max(max, time);
            }
        }
        return max > min;
    }

    /// <summary>Moves a bucket's events into the buckets of a rung and frees its chunks.</summary>
    private void MoveToRung(in Bucket bucket, Rung rung)
    {
        for (var chunk = Chunks(bucket); chunk.MoveNext();)
        {
            for (int i = chunk.First; i < chunk.End; i++)
            {
                Add(ref rung.Slots[rung.BucketOf(_slots[i].Time)], _slots[i]);
            }
            ReleaseChunk(chunk.Index);
        }
    }

    /// <summary>Moves a bucket's events, sorted, into the empty bottom and frees its chunks.</summary>
    private void MoveToBottom(in Bucket bucket)
    {
        if (_bottom.Length < bucket.Count)
        {
            Array.Resize(ref _bottom, Math.Max(bucket.Count, 2 * _bottom.Length));
        }
        int count = 0;
        for (var chunk = Chunks(bucket); chunk.MoveNext();)
        {
            Array.Copy(_slots, chunk.First, _bottom, count, chunk.End - chunk.First);
            count += chunk.End - chunk.First;
            ReleaseChunk(chunk.Index);
        }
        Sort(_bottom, count);
        _bottomHead = 0;
        _bottomEnd = count;
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
}
