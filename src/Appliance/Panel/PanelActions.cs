using Appliance.Contract;
using Appliance.State;
using Microsoft.Extensions.Logging;

namespace Appliance.Panel;

/// <summary>
/// What a press does: cancel short → cancel the running request; cancel long → reload the model (one reload at a
/// time, left to finish on its own: it belongs to the service); ask short → queue the preset prompt; ask long → nothing yet (reserved for push-to-talk). Every press is then
/// published on &lt;base&gt;/button.
/// </summary>
internal sealed partial class PanelActions(
    PanelOptions options, IApplianceControl control, IApplianceMessenger messenger, ILogger logger)
{
    private Task _reload = Task.CompletedTask;

    public async Task HandleAsync(ButtonPress press, CancellationToken cancellationToken)
    {
        LogPress(press.Button, press.Kind);
        switch (press)
        {
            case { Button: PanelButton.Cancel, Kind: ButtonPressKind.ShortPress }:
                if (!control.CancelCurrent("cancel button on the panel"))
                {
                    LogNothingToCancel();
                }

                break;
            case { Button: PanelButton.Cancel, Kind: ButtonPressKind.LongPress }:
                StartReload(cancellationToken);
                break;
            case { Button: PanelButton.Ask, Kind: ButtonPressKind.ShortPress }:
                if (!control.SubmitPrompt(options.AskPrompt, "panel"))
                {
                    LogAskRefused();
                }

                break;
        }

        var message = ButtonEventMessage.For(press);
        if (!await messenger.PublishAsync(ApplianceTopics.ButtonName, message.ToUtf8Json(), retain: false, cancellationToken).ConfigureAwait(false))
        {
            LogNotPublished(message.Button, message.Press);
        }
    }

    private void StartReload(CancellationToken cancellationToken)
    {
        if (!_reload.IsCompleted)
        {
            LogReloadAlreadyRunning();
            return;
        }

        _reload = ReloadAsync(cancellationToken);
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        LogReloading();
        try
        {
            await control.ReloadModelAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A failed reload is the service's to report (it sets the status); the panel only logs it and keeps running.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogReloadFailed(ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Panel: {Button} button, {Kind} press")]
    private partial void LogPress(PanelButton button, ButtonPressKind kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Panel: cancel pressed with no request running")]
    private partial void LogNothingToCancel();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Panel: the ask button's prompt was not queued (queue full or no model loaded)")]
    private partial void LogAskRefused();

    [LoggerMessage(Level = LogLevel.Information, Message = "Panel: long press of cancel, reloading the model")]
    private partial void LogReloading();

    [LoggerMessage(Level = LogLevel.Information, Message = "Panel: a model reload is already running; long press ignored")]
    private partial void LogReloadAlreadyRunning();

    [LoggerMessage(Level = LogLevel.Error, Message = "Panel: model reload failed: {Problem}")]
    private partial void LogReloadFailed(string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Panel: {Button} {Press} press not published (broker not connected)")]
    private partial void LogNotPublished(string button, string press);
}
