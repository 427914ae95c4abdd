namespace VirtSim.Kernel.FairSharing;

/// <summary>
/// A capacity shared max-min fairly among the activities that use it: a CPU (core-seconds per
/// second), a disk (bytes per second), a link (bytes per second), a VM's vCPU cap.
/// </summary>
public sealed class SharedResource
{
    internal Activity[] Users = new Activity[4];
    internal int UserCount;
    // Scratch state of the progressive filling, valid only during a recomputation.
    internal double FillRemaining;
    internal double FillWeight;
    internal int FillUsers;
    // For the filling by levels: the level at which FillRemaining holds, the level at which the
    // resource runs out, and its place in the heap of resources ordered by that level.
    internal double FillLevel;
    internal double FillKey;
    internal int FillHeapIndex = -1;
    internal int Visit;
    internal bool Dirty;
    // Set while the resource's activities use nothing else and are many: they share it by a virtual clock.
    internal VirtualClock? Clock;

    internal SharedResource(FairShare owner, double capacity, string name)
    {
        Owner = owner;
        Capacity = capacity;
        Name = name;
    }

    /// <summary>The engine this resource belongs to.</summary>
    public FairShare Owner { get; }

    /// <summary>A name for messages and traces.</summary>
    public string Name { get; }

    /// <summary>Units of work per second this resource can serve.</summary>
    public double Capacity { get; private set; }

    /// <summary>Number of running activities using this resource.</summary>
    public int ActivityCount => UserCount;

    /// <summary>The rate in use right now: the sum of weight × rate over its activities.</summary>
    public double Load
    {
        get
        {
            Owner.Flush();
            double load = 0;
            for (int i = 0; i < UserCount; i++)
            {
                load += Users[i].RateOn(this);
            }
            return load;
        }
    }

    /// <summary>Changes the capacity now (a host slowing down, a link degrading); rates follow at once.</summary>
    public void SetCapacity(double capacity)
    {
        FairShare.CheckCapacity(capacity);
        Capacity = capacity;
        Owner.Recompute(this);
    }

    internal int AddUser(Activity activity)
    {
        if (UserCount == Users.Length)
        {
            Array.Resize(ref Users, Users.Length * 2);
        }
        Users[UserCount] = activity;
        return UserCount++;
    }

    internal void RemoveUserAt(int slot)
    {
        int last = --UserCount;
        if (slot != last)
        {
            var moved = Users[last];
            Users[slot] = moved;
            moved.MoveSlot(this, last, slot);
        }
        Users[last] = null!;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Capacity}/s, {UserCount} activities)";
}
