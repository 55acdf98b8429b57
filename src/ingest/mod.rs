//! Reading CloudTrail logs in every shape they reach a user. (Being written: issue 3.)
