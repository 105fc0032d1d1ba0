using System.CommandLine;

namespace SageServe.Silo.Commands;

internal static class SimulateCommand
{
    public static Command Create()
    {
        var simulate = new Command("simulate", "Replay a workload through the control plane in virtual time.");
        simulate.SetAction(_ => 0);
        return simulate;
    }
}
