using Appliance.Benchmarks;

// Manual benchmarks: `dotnet run -c Release --project tests/Benchmarks -- tokenizer [names...]`.
return args switch
{
    ["tokenizer", .. var names] => TokenizerBenchmark.Run(names),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Appliance.Benchmarks tokenizer [llama2|llama3|qwen3|gemma3 ...]");
    return 2;
}
