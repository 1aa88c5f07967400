//! `POST /uploads` behind API Gateway.

use aws_lambda_events::apigw::ApiGatewayProxyRequest;
use lambda_runtime::{LambdaEvent, service_fn};
use pam_lambdas::api::uploads::{Uploads, handle};
use pam_lambdas::{Aws, ProcessEnv, env, or_exit, ports};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    pam_lambdas::init_tracing();
    let aws = Aws::load(&ProcessEnv).await;
    let bucket = or_exit(ports::bucket(&ProcessEnv, env::PHOTOS_BUCKET)).await;
    let presigner = or_exit(aws.presigner(&ProcessEnv).await).await;
    let uploads = &Uploads {
        presigner: &presigner,
        bucket: &bucket,
    };
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<ApiGatewayProxyRequest>| async move {
            Ok::<_, std::convert::Infallible>(handle(uploads, event.payload).await)
        },
    ))
    .await
}
