using System.Reflection;
using System.Runtime.InteropServices;

namespace VirtSim.Experiments.Results;

/// <summary>
/// Lets SkiaSharp (ScottPlot's renderer) find its native library when our assemblies are loaded
/// from their build folder by a host that does not read our dependency manifest, such as a .NET
/// Interactive notebook's <c>#r</c>: after the usual probing, it looks in
/// <c>runtimes/&lt;runtime identifier&gt;/native</c> beside SkiaSharp's assembly, where the build
/// puts it.
/// </summary>
internal static class NativeSkia
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(SkiaSharp.SKCanvas).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // The host set a resolver of its own: it knows best.
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (NativeLibrary.TryLoad(name, assembly, searchPath, out var handle))
        {
            return handle;
        }
        string file = OperatingSystem.IsWindows() ? $"{name}.dll" : OperatingSystem.IsMacOS() ? $"{name}.dylib" : $"{name}.so";
        string folder = Path.GetDirectoryName(assembly.Location) ?? "";
        string candidate = Path.Combine(folder, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", file);
        return NativeLibrary.TryLoad(candidate, out handle) ? handle : IntPtr.Zero;
    }
}
