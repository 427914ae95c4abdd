namespace VirtSim.Datacenter.Containers;

/// <summary>
/// One layer pulled onto a node: asked for, downloaded from the registry once one of the engine's
/// download slots was free, then unpacked once its unpacker was free. Times in simulated seconds.
/// </summary>
/// <param name="Engine">The engine (node) that pulled it.</param>
/// <param name="Host">The physical host under the engine.</param>
/// <param name="Digest">The layer's digest.</param>
/// <param name="Bytes">Its size, in bytes.</param>
/// <param name="Requested">When a container first needed it.</param>
/// <param name="DownloadStarted">When its download began.</param>
/// <param name="Downloaded">When its last byte arrived.</param>
/// <param name="UnpackStarted">When its unpacking began.</param>
/// <param name="Unpacked">When it was ready on the node.</param>
public readonly record struct LayerPull(string Engine, string Host, string Digest, double Bytes, double Requested,
    double DownloadStarted, double Downloaded, double UnpackStarted, double Unpacked);
