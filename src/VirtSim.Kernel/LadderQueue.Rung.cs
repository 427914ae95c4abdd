namespace VirtSim.Kernel;

internal sealed partial class LadderQueue
{
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
            Array.Fill(Slots, Bucket.Empty, 0, buckets);
        }

        public double BucketStart(int bucket) => Start + bucket * Width;

        /// <summary>The bucket of a time at or after the current bucket's start.</summary>
        public int BucketOf(double time)
        {
            // Rounding may put a time a hair outside: clamp to the buckets in use, which keeps order.
            double position = (time - Start) / Width;
            int bucket = position >= Buckets ? Buckets - 1 : (int)position;
            return bucket < Current ? Current : bucket;
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

        /// <summary>Empties <paramref name="bucket"/> (the current one) and moves past it; returns it as it was.</summary>
        public Bucket TakeBucket(int bucket)
        {
            var taken = Slots[bucket];
            Slots[bucket] = Bucket.Empty;
            Current = bucket + 1;
            CurrentStart = Start + Current * Width;
            return taken;
        }
    }
}
