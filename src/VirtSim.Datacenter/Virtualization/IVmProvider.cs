using VirtSim.Datacenter.Hosting;

namespace VirtSim.Datacenter.Virtualization;

/// <summary>
/// Where those who run on VMs (container engines, services) get them: the datacenter places,
/// starts and destroys VMs on its hosts. Declared here so that the layers above VMs need not know
/// the datacenter that composes them.
/// </summary>
public interface IVmProvider
{
    /// <summary>The hosts, in order.</summary>
    IReadOnlyList<Host> Hosts { get; }

    /// <summary>Asks for a VM; <paramref name="owner"/> hears when it runs and when it crashes.</summary>
    VirtualMachine RequestVm(VmSpec spec, IVmOwner owner);

    /// <summary>Stops and destroys a running VM.</summary>
    void DestroyVm(VirtualMachine vm);
}
