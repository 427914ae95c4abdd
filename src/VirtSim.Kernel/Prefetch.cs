using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace VirtSim.Kernel;

/// <summary>A hint to the processor to start loading an object's memory before it is used.</summary>
internal static class Prefetch
{
    /// <summary>
    /// Asks for the cache line at the start of <paramref name="target"/>. A hint only: it changes
    /// no value, and an object the collector has moved since costs nothing but the wasted fetch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Object(object target)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0((void*)Unsafe.As<object, IntPtr>(ref target));
        }
    }
}
