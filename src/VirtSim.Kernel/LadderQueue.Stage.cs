namespace VirtSim.Kernel;

// Events for the rungs and the top wait in a short stage and are put into their buckets a batch
// at a time.
internal sealed partial class LadderQueue
{
    // The batch size hardly matters; the stage does (docs/benchmarks.md, "Ladder queue").
    private const int StageSize = 32;

    private readonly EventQueue.Entry[] _stage = new EventQueue.Entry[StageSize];
    private readonly int[] _stageRung = new int[StageSize];
    private readonly int[] _stageBucket = new int[StageSize];
    private int _staged;

    // Events at or after this time go to a rung or the top, earlier ones into the bottom: the
    // current start of the finest rung, or the top's start when there is no rung. It changes only
    // when the bottom is refilled, and the stage is emptied before that, so an event waiting there
    // goes where it would have gone when it was pushed.
    private double _stageFloor = double.NegativeInfinity;

    private void UpdateStageFloor() =>
        _stageFloor = _rungCount > 0 ? _rungs[_rungCount - 1].CurrentStart : _topStart;

    /// <summary>
    /// Puts the staged events into their buckets in three passes: find each one's bucket and ask
    /// for its memory; ask for the slot each will be written to; write them. At a million pending
    /// events a bucket and its newest chunk are each a cache miss. Added one at a time as they
    /// come, each waits for both in turn, and the store that misses holds up every store after
    /// it; a batch has all of them in flight at once.
    /// </summary>
    private void Distribute()
    {
        int n = _staged;
        _staged = 0;
        var stage = _stage;
        for (int i = 0; i < n; i++)
        {
            double time = stage[i].Time;
            int found = -1;
            // The coarsest rung whose current bucket starts at or before the time takes it.
            if (time < _topStart)
            {
                for (int r = 0; r < _rungCount; r++)
                {
                    if (time >= _rungs[r].CurrentStart)
                    {
                        found = r;
                        break;
                    }
                }
            }
            _stageRung[i] = found;
            if (found >= 0)
            {
                var rung = _rungs[found];
                int bucket = rung.BucketOf(time);
                _stageBucket[i] = bucket;
                Prefetch.Element(ref rung.Slots[bucket]);
            }
        }
        for (int i = 0; i < n; i++)
        {
            ref Bucket bucket = ref StagedBucket(i);
            int fill = bucket.Count & (ChunkSize - 1);
            if (fill != 0)
            {
                Prefetch.Element(ref _slots[(bucket.Head << ChunkShift) + fill]);
            }
        }
        for (int i = 0; i < n; i++)
        {
            Add(ref StagedBucket(i), stage[i]);
            if (_stageRung[i] < 0)
            {
                double time = stage[i].Time;
                _topMin = Math.Min(_topMin, time);
                _topMax = Math.Max(_topMax, time);
            }
        }
        Array.Clear(stage, 0, n);
    }

    private ref Bucket StagedBucket(int i)
    {
        int rung = _stageRung[i];
        if (rung < 0)
        {
            return ref _top;
        }
        return ref _rungs[rung].Slots[_stageBucket[i]];
    }
}
