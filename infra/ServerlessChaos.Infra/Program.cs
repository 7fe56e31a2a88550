using Amazon.CDK;

var app = new App();
_ = new Stack(app, "ServerlessChaos");
app.Synth();
