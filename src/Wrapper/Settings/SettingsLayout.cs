namespace ServerlessChaos.Wrapper.Settings;

/// <summary>Which document layout a settings value was written in.</summary>
internal enum SettingsLayout
{
    /// <summary>This project's own layout: <c>{"version":1,"enabled":...,"faults":[...]}</c>.</summary>
    ServerlessChaos,

    /// <summary>failure-lambda 1.x: one feature flag per failure mode (<c>{"latency":{"enabled":true,...}}</c>).</summary>
    FailureLambdaV1,

    /// <summary>failure-lambda 0.x: <c>{"isEnabled":true,"failureMode":"latency","rate":1,...}</c>.</summary>
    FailureLambda0x,

    /// <summary>chaos_lambda 0.3: <c>{"is_enabled":true,"fault_type":"latency","delay":400,...}</c>.</summary>
    ChaosLambda03,
}
