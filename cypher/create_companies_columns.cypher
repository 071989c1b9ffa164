// A first push's batch, column by column: each parameter is the list of one column's
// values (null for none: CREATE stores no property for a null), so that the server
// builds no map per row and evaluates no expression but a list item.
UNWIND range(0, size($id) - 1) AS i
CREATE (c:Company {id: $id[i],
                   name: $name[i],
                   uscc: $uscc[i],
                   province: $province[i],
                   city: $city[i],
                   district: $district[i],
                   region_code: $region_code[i],
                   province_code: $province_code[i],
                   city_code: $city_code[i],
                   in_park: $in_park[i],
                   employees: $employees[i],
                   revenue: $revenue[i],
                   status: $status[i],
                   status_raw: $status_raw[i],
                   address: $address[i],
                   main_products: $main_products[i],
                   scope: $scope[i],
                   industry: $industry[i],
                   registered_capital: $registered_capital[i],
                   founded: $founded[i],
                   source: $source[i],
                   as_of: $as_of[i],
                   extra: $extra[i],
                   _b: $bucket[i], _h: $hash[i]})
