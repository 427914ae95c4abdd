namespace VirtSim.Kernel;

internal sealed partial class LadderQueue
{
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
