using VirtSim.Cli;

return VirtSimApp.Run(args);
