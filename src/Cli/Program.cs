// The `chaos` command. The game day and the operator commands arrive with their issues.
Console.Error.WriteLine("chaos: no commands yet (see README.md)");
return 2;
