using SmmuActors.Client;

return await CliApp.RunAsync(args);
