namespace Appliance.Engine;

/// <summary>Loads the engine the options describe; a failure says what is wrong with the model or the options.</summary>
public interface IGenerationEngineLoader
{
    Task<IGenerationEngine> LoadAsync(EngineOptions options, CancellationToken cancellationToken);
}
