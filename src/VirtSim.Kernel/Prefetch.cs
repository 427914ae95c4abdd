using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace VirtSim.Kernel;

/// <summary>A hint to the processor to start loading memory before it is used.</summary>
internal static class Prefetch
{
    /// <summary>
    /// Asks for the first two cache lines of <paramref name="target"/> (an object of 70 bytes or
    /// so, a process or its body, almost always spans two). A hint only: it changes no value, and
    /// an object the collector has moved since costs nothing but the wasted fetch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Object(object target)
    {
        if (Sse.IsSupported)
        {
            byte* start = (byte*)Unsafe.As<object, IntPtr>(ref target);
            Sse.Prefetch0(start);
            Sse.Prefetch0(start + 64);
        }
    }

    /// <summary>Asks for the cache line holding <paramref name="element"/> (of an array, say); a hint only, as above.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Element<T>(ref T element)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref element));
        }
    }
}
