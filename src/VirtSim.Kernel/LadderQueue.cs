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
/// per event (at a million pending events that wait was most of the queue's time). New events
/// for the rungs and the top are put into their buckets in batches (see <see cref="Distribute"/>).
/// Once the pool and the rungs have grown to the run's high-water mark nothing more is allocated.
/// </remarks>
internal sealed partial class LadderQueue
{
    // A bucket this small is sorted into the bottom; a larger one becomes a finer rung. Larger
    // than Tang, Goh and Thng's 50 so the bottom is long enough to look ahead into
    // (docs/benchmarks.md, "Ladder queue").
    private const int Threshold = 128;
    private const int MaxRungs = 8;
    private const int EventsPerBucket = 4;

    // How far ahead in the bottom PrefetchAhead asks for a process's state and for an event's
    // target: the faster the list, the further ahead the memory must be asked for
    // (docs/benchmarks.md, "Ladder queue").
    private const int BodyAhead = 4;
    private const int TargetAhead = 8;

    // Top: events at or after _topStart, unsorted.
    private Bucket _top = Bucket.Empty;
    private double _topMin = double.PositiveInfinity;
    private double _topMax = double.NegativeInfinity;
    private double _topStart = double.NegativeInfinity;

    private readonly Rung[] _rungs = new Rung[MaxRungs];
    private int _rungCount;

    // Bottom: the earliest events. They stay where they were put, in _bottom[0.._bottomEnd); their
    // order is _order, positions into _bottom, earliest first, taken from _bottomHead on. Sorting
    // and inserting move these positions, plain integers, never the events: an event holds a
    // reference, so each move of one is a call into the collector's write barrier, and the
    // insertion sort moves many (docs/benchmarks.md, "Ladder queue"). An event later than all of them (the common case: one scheduled for now, after those already
    // due now) is appended in O(1).
    private EventQueue.Entry[] _bottom = new EventQueue.Entry[2 * Threshold];
    private EventQueue.Entry[] _bottomSpare = [];
    private int[] _order = new int[2 * Threshold];
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

    /// <summary>
    /// Adds an event: one due before the finest rung's current bucket goes straight into the
    /// sorted bottom; any other waits in the stage, which is emptied into the buckets when full
    /// and before the bottom is refilled.
    /// </summary>
    public void Push(in EventQueue.Entry entry)
    {
        Count++;
        if (entry.Time < _stageFloor)
        {
            InsertIntoBottom(entry);
            return;
        }
        _stage[_staged++] = entry;
        if (_staged == StageSize)
        {
            Distribute();
        }
    }

    /// <summary>The earliest event; the queue must not be empty.</summary>
    public ref readonly EventQueue.Entry Peek()
    {
        if (_bottomHead == _bottomEnd)
        {
            Refill();
        }
        return ref _bottom[_order[_bottomHead]];
    }

    /// <summary>
    /// Asks for the memory that events a few places ahead will need (the queue must not be
    /// empty): the state of the process <see cref="BodyAhead"/> events on, whose own memory was
    /// asked for a few events ago, and the target <see cref="TargetAhead"/> events on. At a
    /// million pending events each of these is a cache miss, which the processor can now serve
    /// while the events before them run.
    /// </summary>
    public void PrefetchAhead()
    {
        if (_bottomHead == _bottomEnd)
        {
            Refill();
        }
        int body = _bottomHead + BodyAhead;
        if (body < _bottomEnd && _bottom[_order[body]].Target is Process next)
        {
            next.PrefetchBody();
        }
        if (_bottomHead + TargetAhead < _bottomEnd)
        {
            Prefetch.Object(_bottom[_order[_bottomHead + TargetAhead]].Target);
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
        int slot = _order[_bottomHead++];
        var entry = _bottom[slot];
        _bottom[slot] = default;
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
        UpdateStageFloor();
    }

    private void Refill()
    {
        if (_staged > 0)
        {
            Distribute();
        }
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
        UpdateStageFloor();
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

    /// <summary>Moves a bucket's events into the empty bottom, sorts them and frees the chunks.</summary>
    private void MoveToBottom(in Bucket bucket)
    {
        if (_bottom.Length < bucket.Count)
        {
            int length = Math.Max(bucket.Count, 2 * _bottom.Length);
            _bottom = new EventQueue.Entry[length];
            _order = new int[length];
        }
        // The walk starts at the newest chunk: filled from the end backwards, the bottom holds the
        // events in the order they were added, which for events at one time is already their order.
        int count = bucket.Count;
        int start = count;
        for (var chunk = Chunks(bucket); chunk.MoveNext();)
        {
            start -= chunk.End - chunk.First;
            Array.Copy(_slots, chunk.First, _bottom, start, chunk.End - chunk.First);
            ReleaseChunk(chunk.Index);
        }
        for (int i = 0; i < count; i++)
        {
            _order[i] = i;
        }
        Sort(_bottom, _order, count);
        _bottomHead = 0;
        _bottomEnd = count;
    }

    private void InsertIntoBottom(in EventQueue.Entry entry)
    {
        if (_bottomEnd == _bottom.Length)
        {
            MakeRoomInBottom();
        }
        // Move the position of every entry that comes after this one back by one (none, for one
        // due after all).
        var bottom = _bottom;
        var order = _order;
        int i = _bottomEnd;
        while (i > _bottomHead && EventQueue.Before(entry, bottom[order[i - 1]]))
        {
            order[i] = order[i - 1];
            i--;
        }
        order[i] = _bottomEnd;
        bottom[_bottomEnd++] = entry;
    }

    /// <summary>
    /// The bottom is full to its end: its live entries move, in order, to the front of a spare
    /// array, which frees the slots of those already taken. With few of those (or none), the
    /// spare is twice as long, so the live entries are moved once per as many inserts as there are
    /// of them, not once every few inserts.
    /// </summary>
    private void MakeRoomInBottom()
    {
        int live = _bottomEnd - _bottomHead;
        int length = live > _bottom.Length / 2 ? 2 * _bottom.Length : _bottom.Length;
        if (_bottomSpare.Length != length)
        {
            _bottomSpare = new EventQueue.Entry[length];
        }
        if (_order.Length < length)
        {
            Array.Resize(ref _order, length);
        }
        for (int i = 0; i < live; i++)
        {
            int slot = _order[_bottomHead + i];
            _bottomSpare[i] = _bottom[slot];
            _bottom[slot] = default;
            _order[i] = i;
        }
        (_bottom, _bottomSpare) = (_bottomSpare, _bottom);
        _bottomHead = 0;
        _bottomEnd = live;
    }
}
