//! Insights records in AWS's exact JSON format and S3 layout. (Being written: issue 4.)
