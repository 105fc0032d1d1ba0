using System.CommandLine;
using SageServe.Silo.Commands;

var root = new RootCommand(
    "SageServe: serve LLMs across regions at the lowest GPU cost that meets every SLA. " +
    "Run `sageserve simulate` to replay a production-like day through the control plane.");
root.Subcommands.Add(SimulateCommand.Create());
root.Subcommands.Add(TraceCommand.Create());
root.Subcommands.Add(PlanCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(SiloCommand.Create());
root.Subcommands.Add(CalibrateCommand.Create());
return await root.Parse(args).InvokeAsync();
