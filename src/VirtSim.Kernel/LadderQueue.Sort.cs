namespace VirtSim.Kernel;

internal sealed partial class LadderQueue
{
    /// <summary>
    /// Sorts the positions <c>order[0..n)</c> so that the entries they name come earliest first.
    /// It moves integers, not entries, so no move goes through the collector's write barrier, and
    /// it allocates nothing (unlike a sort through an IComparer, which makes a delegate per call).
    /// </summary>
    /// <remarks>
    /// A bucket of up to <see cref="Threshold"/> events, the usual case, is sorted by insertion:
    /// more comparisons than a heapsort, but nearly all of them predicted, where a heapsort's
    /// are a coin toss each (docs/benchmarks.md, "Ladder queue").
    /// Larger ones (events at one time, or the rungs used up) take heapsort's n log n.
    /// </remarks>
    private static void Sort(EventQueue.Entry[] entries, int[] order, int n)
    {
        if (n <= Threshold)
        {
            for (int i = 1; i < n; i++)
            {
                int item = order[i];
                int j = i;
                while (j > 0 && EventQueue.Before(entries[item], entries[order[j - 1]]))
                {
                    order[j] = order[j - 1];
                    j--;
                }
                order[j] = item;
            }
            return;
        }
        // Heapsort with a max-heap: the latest goes to the end, which leaves the earliest first.
        for (int i = n / 2 - 1; i >= 0; i--)
        {
            SiftDown(entries, order, i, n);
        }
        for (int end = n - 1; end > 0; end--)
        {
            (order[0], order[end]) = (order[end], order[0]);
            SiftDown(entries, order, 0, end);
        }
    }

    private static void SiftDown(EventQueue.Entry[] entries, int[] order, int i, int n)
    {
        int item = order[i];
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n)
            {
                break;
            }
            if (child + 1 < n && EventQueue.Before(entries[order[child]], entries[order[child + 1]]))
            {
                child++;
            }
            if (!EventQueue.Before(entries[item], entries[order[child]]))
            {
                break;
            }
            order[i] = order[child];
            i = child;
        }
        order[i] = item;
    }
}
