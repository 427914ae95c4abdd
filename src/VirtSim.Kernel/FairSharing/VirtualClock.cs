namespace VirtSim.Kernel.FairSharing;

/// <summary>
/// Max-min fair sharing of one resource among activities that use nothing else, at O(log n) per
/// start and end instead of O(n): generalized processor sharing with a virtual clock. Also of
/// several resources that every activity uses alike (each with one weight on all of them, as a
/// VM's requests use the host's CPU and the VM's vCPUs): they then load every resource equally,
/// and the smallest capacity is the one that binds.
/// </summary>
/// <remarks>
/// <para>
/// Activity i (share sᵢ, weight wᵢ on the resource, rate cap cᵢ) runs at rᵢ = min(cᵢ, sᵢ·L),
/// where the level L fills the capacity C: Σ wᵢ·rᵢ = C (or every activity is at its cap and the
/// resource has room). This is what progressive filling gives on a single resource. Activities
/// below their cap ("uncapped", threshold θᵢ = cᵢ/sᵢ above L) all progress with the virtual time V,
/// dV/dt = L: one that starts with work W when V is v finishes when V reaches its tag v + W/sᵢ,
/// whatever arrives or leaves meanwhile (Demers, Keshav and Shenker 1989; Parekh and Gallager
/// 1993). Capped activities run at cᵢ and keep a finish time in real time. A change moves only
/// the activities whose threshold L crosses between the two sets.
/// </para>
/// <para>
/// Four heaps with positions (uncapped by tag and by threshold, capped by finish time and by
/// threshold, largest first) make each start, end and crossing O(log n). The sums Σ wᵢsᵢ over the
/// uncapped and Σ wᵢcᵢ over the capped are kept as they change and summed afresh every so many
/// changes, so rounding cannot drift; at the same moments the virtual time is rebased to 0, so
/// tags stay near it and keep their precision.
/// </para>
/// </remarks>
internal sealed class VirtualClock
{
    // A remaining share of an activity's work below this fraction counts as done (as the filling's snap).
    private const double Tolerance = 1e-12;

    private readonly ActivityHeap _uncappedByTag = new(ActivityHeap.Order.TagAscending);
    private readonly ActivityHeap _uncappedByThreshold = new(ActivityHeap.Order.ThresholdAscending);
    private readonly ActivityHeap _cappedByFinish = new(ActivityHeap.Order.TagAscending);
    private readonly ActivityHeap _cappedByThreshold = new(ActivityHeap.Order.ThresholdDescending);
    private double _virtualTime;
    private double _since;
    private double _level = double.PositiveInfinity;
    private double _uncappedWeight;
    private double _cappedLoad;
    private int _changesSinceSum;

    // Activities taken out while uncapped, still in _uncappedByThreshold until the next
    // rebalance (see Remove).
    private readonly List<Activity> _thresholdRemovals = [];

    public VirtualClock(IReadOnlyList<SharedResource> resources, double now)
    {
        Resources = [.. resources];
        _since = now;
    }

    /// <summary>The resources every activity of the clock uses, each with one weight on all.</summary>
    public SharedResource[] Resources { get; }

    /// <summary>Whether <paramref name="activity"/> uses exactly the clock's resources, with one weight on all.</summary>
    public bool Admits(Activity activity) => Admits(activity, Resources.Length, this);

    /// <summary>
    /// Whether <paramref name="activity"/> uses <paramref name="resources"/> resources, all of
    /// <paramref name="clock"/> (null: any), with one weight on all.
    /// </summary>
    public static bool Admits(Activity activity, int resources, VirtualClock? clock)
    {
        if (activity.UsageCount != resources)
        {
            return false;
        }
        double weight = activity.Usages[0].Weight;
        for (int i = 0; i < activity.UsageCount; i++)
        {
            if ((clock is not null && activity.Usages[i].Resource.Clock != clock) || activity.Usages[i].Weight != weight)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Waiting to be rebalanced at the end of the instant.</summary>
    public bool Dirty;

    /// <summary>The activity that finishes first, entered in the engine's heap for the clock.</summary>
    public Activity? Representative;

    public int Count => _uncappedByTag.Count + _cappedByFinish.Count;

    /// <summary>Brings the virtual time to <paramref name="now"/> at the current level.</summary>
    public void Advance(double now)
    {
        if (_uncappedByTag.Count > 0 && now > _since)
        {
            _virtualTime += _level * (now - _since);
        }
        _since = now;
    }

    /// <summary>Adds <paramref name="activity"/> with <paramref name="remaining"/> work; call <see cref="Advance"/> first.</summary>
    public void Insert(Activity activity, double remaining)
    {
        activity.Clock = this;
        double threshold = activity.RateCap / activity.Share;
        if (activity.ThresholdRemovalPendingIn is { } pending && (pending != this || threshold != activity.Threshold))
        {
            // Its old entry cannot stand for it: another clock's, or a different threshold.
            pending.CompleteThresholdRemoval(activity);
        }
        activity.Threshold = threshold;
        activity.ClockWeight = activity.Usages[0].Weight;
        MakeUncapped(activity, remaining);
        _changesSinceSum++;
    }

    /// <summary>Takes <paramref name="activity"/> out; call <see cref="Advance"/> first.</summary>
    public void Remove(Activity activity)
    {
        if (activity.Clock != this)
        {
            return;
        }
        if (activity.Capped)
        {
            _cappedByFinish.Remove(activity);
            _cappedByThreshold.Remove(activity);
            _cappedLoad -= activity.ClockWeight * activity.RateCap;
        }
        else
        {
            _uncappedByTag.Remove(activity);
            // Out of the threshold heap at the next rebalance, unless it comes back first. Only
            // that heap's smallest entry is ever read, and only by a rebalance, so its layout
            // cannot change a result. An activity that finishes and starts again at one instant
            // (a job replaced on completion) then keeps its entry instead of leaving it from the
            // middle of the heap and being pushed again: a quarter of fairshare-1k's time.
            activity.ThresholdRemovalPendingIn = this;
            _thresholdRemovals.Add(activity);
            _uncappedWeight -= activity.ClockWeight * activity.Share;
        }
        activity.Clock = null;
        activity.Capped = false;
        _changesSinceSum++;
    }

    /// <summary>The activity's rate now.</summary>
    public double RateOf(Activity activity) => activity.Capped ? activity.RateCap : activity.Share * _level;

    /// <summary>The activity's work left at <paramref name="now"/>.</summary>
    public double RemainingOf(Activity activity, double now) => activity.Capped
        ? Math.Max(0, (activity.Tag - now) * activity.RateCap)
        : Math.Max(0, (activity.Tag - (_virtualTime + (_uncappedByTag.Count > 0 && double.IsFinite(_level) ? _level * (now - _since) : 0))) * activity.Share);

    /// <summary>Every activity held, in no particular order (for leaving clock mode).</summary>
    public void CopyActivities(List<Activity> into)
    {
        CompleteThresholdRemovals();
        _uncappedByTag.CopyTo(into);
        _cappedByFinish.CopyTo(into);
    }

    /// <summary>
    /// Finds the level for the activities now held, moves those whose threshold it crosses
    /// between capped and uncapped, and returns the activity that finishes first with its real
    /// finish time (null when none ever finishes).
    /// </summary>
    public Activity? Rebalance(double now, out double finishTime)
    {
        Advance(now);
        CompleteThresholdRemovals();
        if (_changesSinceSum > Math.Max(64, Count))
        {
            // O(n) once every n changes: sums without drift, and a virtual time kept near the
            // tags (about one activity's span), where they have full precision.
            Resum();
            Rebase();
        }
        double capacity = Resources[0].Capacity;
        for (int i = 1; i < Resources.Length; i++)
        {
            capacity = Math.Min(capacity, Resources[i].Capacity);
        }
        // Each pass moves one activity across its threshold towards the fixed point; rounding at a
        // threshold equal to the level could move one back and forth, so the passes are bounded
        // and the level is then taken as it stands.
        int guard = 4 * Count + 8;
        while (guard-- > 0)
        {
            if (_uncappedByTag.Count == 0)
            {
                if (_cappedByFinish.Count > 0 && _cappedLoad > capacity)
                {
                    Uncap(_cappedByThreshold.Peek(), now);
                    continue;
                }
                _level = double.PositiveInfinity;
                break;
            }
            double level = (capacity - _cappedLoad) / _uncappedWeight;
            _level = Math.Max(0, level);
            if (_uncappedByThreshold.Peek().Threshold <= level)
            {
                MakeCapped(_uncappedByThreshold.Peek(), now);
                continue;
            }
            if (_cappedByFinish.Count > 0 && _cappedByThreshold.Peek().Threshold > level)
            {
                Uncap(_cappedByThreshold.Peek(), now);
                continue;
            }
            break;
        }

        Activity? first = null;
        finishTime = double.PositiveInfinity;
        if (_uncappedByTag.Count > 0 && _level > 0)
        {
            first = _uncappedByTag.Peek();
            finishTime = now + Math.Max(0, first.Tag - _virtualTime) / _level;
        }
        if (_cappedByFinish.Count > 0)
        {
            var capped = _cappedByFinish.Peek();
            double at = Math.Max(now, capped.Tag);
            if (first is null || at < finishTime || (at == finishTime && capped.Id < first.Id))
            {
                first = capped;
                finishTime = at;
            }
        }
        return first;
    }

    /// <summary>
    /// Takes out <paramref name="representative"/> (due now) and every other activity whose work
    /// is done at <paramref name="now"/>, adding them to <paramref name="due"/>.
    /// </summary>
    public void CollectDue(double now, Activity representative, List<Activity> due)
    {
        Advance(now);
        Remove(representative);
        due.Add(representative);
        while (_uncappedByTag.Count > 0)
        {
            var next = _uncappedByTag.Peek();
            if (next.Tag - _virtualTime > Tolerance * (next.Tag - next.SpanStart))
            {
                break;
            }
            Remove(next);
            due.Add(next);
        }
        while (_cappedByFinish.Count > 0)
        {
            var next = _cappedByFinish.Peek();
            if (next.Tag - now > Tolerance * (next.Tag - next.SpanStart))
            {
                break;
            }
            Remove(next);
            due.Add(next);
        }
    }

    /// <summary>A capped activity falls below its cap at <paramref name="now"/>: its work left, at the cap's rate so far, moves to virtual time.</summary>
    private void Uncap(Activity activity, double now)
    {
        double remaining = Math.Max(0, (activity.Tag - now) * activity.RateCap);
        _cappedByFinish.Remove(activity);
        _cappedByThreshold.Remove(activity);
        _cappedLoad -= activity.ClockWeight * activity.RateCap;
        activity.Capped = false;
        MakeUncapped(activity, remaining);
    }

    /// <summary>Takes out of the threshold heap every activity removed since the last rebalance and not inserted again.</summary>
    private void CompleteThresholdRemovals()
    {
        foreach (var activity in _thresholdRemovals)
        {
            if (activity.ThresholdRemovalPendingIn == this)
            {
                CompleteThresholdRemoval(activity);
            }
        }
        _thresholdRemovals.Clear();
    }

    private void CompleteThresholdRemoval(Activity activity)
    {
        _uncappedByThreshold.Remove(activity);
        activity.ThresholdRemovalPendingIn = null;
    }

    private void MakeUncapped(Activity activity, double remaining)
    {
        activity.SpanStart = _virtualTime;
        activity.Tag = _virtualTime + remaining / activity.Share;
        _uncappedByTag.Push(activity);
        if (activity.ThresholdRemovalPendingIn == this)
        {
            // Back at the same instant with the same threshold: its entry is still in place.
            activity.ThresholdRemovalPendingIn = null;
        }
        else
        {
            _uncappedByThreshold.Push(activity);
        }
        _uncappedWeight += activity.ClockWeight * activity.Share;
    }

    private void MakeCapped(Activity activity, double now)
    {
        double remaining = Math.Max(0, (activity.Tag - _virtualTime) * activity.Share);
        _uncappedByTag.Remove(activity);
        _uncappedByThreshold.Remove(activity);
        _uncappedWeight -= activity.ClockWeight * activity.Share;
        activity.Capped = true;
        activity.SpanStart = now;
        activity.Tag = now + remaining / activity.RateCap;
        _cappedByFinish.Push(activity);
        _cappedByThreshold.Push(activity);
        _cappedLoad += activity.ClockWeight * activity.RateCap;
    }

    private void Resum()
    {
        _uncappedWeight = _uncappedByTag.Sum(static a => a.ClockWeight * a.Share);
        _cappedLoad = _cappedByFinish.Sum(static a => a.ClockWeight * a.RateCap);
        _changesSinceSum = 0;
    }

    private void Rebase()
    {
        double shift = _virtualTime;
        _uncappedByTag.ShiftKeys(shift);
        _virtualTime = 0;
    }
}

/// <summary>A binary heap of activities that knows where each is, so any one is removed in O(log n).</summary>
internal sealed class ActivityHeap(ActivityHeap.Order order)
{
    /// <summary>What the heap keeps first.</summary>
    public enum Order
    {
        /// <summary>Smallest tag (virtual or real finish), then smallest id.</summary>
        TagAscending,

        /// <summary>Smallest threshold, then smallest id.</summary>
        ThresholdAscending,

        /// <summary>Largest threshold, then smallest id.</summary>
        ThresholdDescending,
    }

    private Activity[] _items = new Activity[16];
    private readonly bool _byTag = order == Order.TagAscending;
    private readonly bool _descending = order == Order.ThresholdDescending;

    public int Count { get; private set; }

    public Activity Peek() => _items[0];

    public void Push(Activity activity)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, 2 * _items.Length);
        }
        _items[Count] = activity;
        SetSlot(activity, Count);
        Up(Count++);
    }

    public void Remove(Activity activity)
    {
        int i = Slot(activity);
        SetSlot(activity, -1);
        var last = _items[--Count];
        _items[Count] = null!;
        if (i < Count)
        {
            _items[i] = last;
            SetSlot(last, i);
            Down(i);
            Up(Slot(last));
        }
    }

    public void CopyTo(List<Activity> into)
    {
        for (int i = 0; i < Count; i++)
        {
            into.Add(_items[i]);
        }
    }

    public double Sum(Func<Activity, double> term)
    {
        // Summed in heap order, which depends only on what happened: the same in every run.
        double sum = 0;
        for (int i = 0; i < Count; i++)
        {
            sum += term(_items[i]);
        }
        return sum;
    }

    /// <summary>Subtracts <paramref name="shift"/> from every tag; the order is unchanged.</summary>
    public void ShiftKeys(double shift)
    {
        for (int i = 0; i < Count; i++)
        {
            _items[i].Tag -= shift;
            _items[i].SpanStart -= shift;
        }
    }

    private int Slot(Activity a) => _byTag ? a.FinishSlot : a.ThresholdSlot;

    private void SetSlot(Activity a, int slot)
    {
        if (_byTag)
        {
            a.FinishSlot = slot;
        }
        else
        {
            a.ThresholdSlot = slot;
        }
    }

    private bool Before(Activity a, Activity b)
    {
        if (_byTag)
        {
            return a.Tag < b.Tag || (a.Tag == b.Tag && a.Id < b.Id);
        }
        if (a.Threshold != b.Threshold)
        {
            return _descending ? a.Threshold > b.Threshold : a.Threshold < b.Threshold;
        }
        return a.Id < b.Id;
    }

    private void Up(int i)
    {
        var item = _items[i];
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Before(item, _items[parent]))
            {
                break;
            }
            _items[i] = _items[parent];
            SetSlot(_items[i], i);
            i = parent;
        }
        _items[i] = item;
        SetSlot(item, i);
    }

    private void Down(int i)
    {
        var item = _items[i];
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= Count)
            {
                break;
            }
            if (child + 1 < Count && Before(_items[child + 1], _items[child]))
            {
                child++;
            }
            if (!Before(_items[child], item))
            {
                break;
            }
            _items[i] = _items[child];
            SetSlot(_items[i], i);
            i = child;
        }
        _items[i] = item;
        SetSlot(item, i);
    }
}
