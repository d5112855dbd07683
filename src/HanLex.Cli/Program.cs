using HanLex.Cli;

return CliApp.Run(args, CliConsole.CreateSystem());
