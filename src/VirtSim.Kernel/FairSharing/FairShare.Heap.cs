namespace VirtSim.Kernel.FairSharing;

// The heap of components' first finishers (one representative each), ordered by finish time, then id.
public sealed partial class FairShare
{
    private static bool Earlier(Activity a, Activity b) =>
        a.FinishTime < b.FinishTime || (a.FinishTime == b.FinishTime && a.Id < b.Id);

    private void HeapPush(Activity activity)
    {
        if (_heapCount == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }
        activity.HeapIndex = _heapCount;
        _heap[_heapCount++] = activity;
        HeapUp(activity.HeapIndex);
    }

    private void HeapRemove(Activity activity)
    {
        int i = activity.HeapIndex;
        activity.HeapIndex = -1;
        var last = _heap[--_heapCount];
        _heap[_heapCount] = null!;
        if (i < _heapCount)
        {
            _heap[i] = last;
            last.HeapIndex = i;
            HeapDown(i);
            HeapUp(last.HeapIndex);
        }
    }

    private void HeapUp(int i)
    {
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Earlier(_heap[i], _heap[parent]))
            {
                return;
            }
            Swap(i, parent);
            i = parent;
        }
    }

    private void HeapDown(int i)
    {
        while (true)
        {
            int left = 2 * i + 1, best = i;
            if (left < _heapCount && Earlier(_heap[left], _heap[best]))
            {
                best = left;
            }
            if (left + 1 < _heapCount && Earlier(_heap[left + 1], _heap[best]))
            {
                best = left + 1;
            }
            if (best == i)
            {
                return;
            }
            Swap(i, best);
            i = best;
        }
    }

    private void Swap(int i, int j)
    {
        (_heap[i], _heap[j]) = (_heap[j], _heap[i]);
        _heap[i].HeapIndex = i;
        _heap[j].HeapIndex = j;
    }
}
